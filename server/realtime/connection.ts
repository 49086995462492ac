/**
 * A connection that passed the handshake: it goes into the rooms of its role and gets the full
 * state at once, on every (re)connect, so nothing depends on having seen earlier events.
 */
import { Events } from '../../shared/protocol.js';
import { buildTally } from '../domain/voteResults.js';
import { deviceState, sessionView, tableBoard, tablesOverview } from '../views.js';
import type { IoSocket, Realtime } from './context.js';
import { guardEvents, listen } from './gate.js';
import { room } from './rooms.js';

export function onConnection(realtime: Realtime, socket: IoSocket): void {
  const { services, io, push, consoles, presence } = realtime;
  const data = socket.data;
  const { sessionId } = data;
  // A recovered socket comes back in the rooms it had; which it belongs in now is decided below.
  for (const r of socket.rooms) if (r !== socket.id) void socket.leave(r);
  void socket.join(room.session(sessionId));
  if (data.role === 'viewer' || data.role === 'host') void socket.join(room.screens(sessionId));
  guardEvents(services, socket);

  socket.emit(Events.sessionState, sessionView(services, sessionId, socket.handshake.headers.host, data.role === 'device' ? 'device' : 'screen'));
  const current = services.votes.current(sessionId);
  if (current) socket.emit(Events.voteTally, buildTally(push.tallyInput(current), data.role === 'facilitator' ? 'facilitator' : 'room'));
  const session = services.sessions.require(sessionId);
  if (session.projector.spotlight?.kind === 'table') socket.emit(Events.tableBoard, tableBoard(services, sessionId, session.projector.spotlight.table));
  socket.emit(Events.plenaryBoard, services.plenary.view(session));

  switch (data.role) {
    case 'facilitator':
      void socket.join(room.facilitators(sessionId));
      io.to(room.facilitators(sessionId)).emit(Events.consoleControl, consoles.connected(sessionId, socket.id));
      socket.on('disconnect', () => io.to(room.facilitators(sessionId)).emit(Events.consoleControl, consoles.disconnected(sessionId, socket.id)));
      socket.emit(Events.tablesOverview, tablesOverview(services, sessionId, push.isConnected));
      for (const summary of services.evaluations.summaries(sessionId)) socket.emit(Events.evaluationSummary, summary);
      break;
    case 'host':
      void socket.join(room.hosts(sessionId, data.table));
      push.overview(sessionId);
      break;
    case 'device': {
      const { deviceId } = data;
      const device = services.devices.require(deviceId);
      void socket.join(room.device(deviceId));
      presence.arrived(deviceId);
      if (device.table !== null) void socket.join(room.table(sessionId, device.table));
      socket.emit(Events.deviceState, deviceState(services, deviceId, data.secret));
      push.overview(sessionId);
      socket.on('disconnect', () => {
        if (!push.isConnected(deviceId)) presence.wentAway(deviceId);
        push.overview(sessionId);
      });
      break;
    }
    case 'viewer':
      break;
  }
  listen(realtime, socket);
}
