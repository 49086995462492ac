/**
 * Seating a device at a table (its own choice, or the facilitator's): the devices service
 * decides; here its sockets follow it to the new table's room, and its Yjs connection to the
 * old table is closed.
 */
import { findStep } from '../../shared/agenda.js';
import type { Realtime } from './context.js';
import { room } from './rooms.js';

/** Resolves once the seat is on disk and the device's sockets have followed it. */
export async function seatDevice({ services, io, push }: Realtime, deviceId: string, table: number): Promise<void> {
  const { devices, sessions, votes, yjs } = services;
  const before = devices.require(deviceId);
  const session = sessions.require(before.sessionId);
  const round = findStep(session.agenda, session.run.stepId)?.round.id ?? null;
  devices.setTable(before, table, session.tables, round);
  await devices.stored();
  if (before.table !== null && before.table !== table) {
    io.in(room.device(deviceId)).socketsLeave(room.table(session.id, before.table));
    yjs.disconnectDevice(deviceId);
  }
  io.in(room.device(deviceId)).socketsJoin(room.table(session.id, table));
  void push.deviceState(deviceId);
  push.overview(session.id);
  const current = votes.current(session.id);
  if (current?.status === 'open') push.tally(current.id);
}
