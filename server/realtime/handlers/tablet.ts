/** What a tablet (a device) sends: picking its table, a signal to the front, a ballot, an evaluation. */
import { findStep } from '../../../shared/agenda.js';
import type { BallotReceipt, DeviceState, PayloadOf } from '../../../shared/protocol.js';
import { AppError } from '../../errors.js';
import { deviceState } from '../../views.js';
import type { HandlerContext } from '../context.js';
import { seatDevice } from '../seating.js';

type Device = HandlerContext<'device'>;

export async function joinTable(ctx: Device, { table }: PayloadOf<'device:joinTable'>): Promise<DeviceState> {
  await seatDevice(ctx, ctx.data.deviceId, table);
  return deviceState(ctx.services, ctx.data.deviceId, ctx.data.secret);
}

export function tableSignal(ctx: Device, { signal, on }: PayloadOf<'table:signal'>): DeviceState {
  const { services, push, data } = ctx;
  const device = services.devices.require(data.deviceId);
  if (device.table === null) throw new AppError('no_table', 'Pick your table first');
  services.tables.setSignal(data.sessionId, device.table, signal, on);
  void push.deviceStates(data.sessionId, device.table);
  push.overview(data.sessionId);
  return deviceState(services, device.id, data.secret);
}

/**
 * Hosted mode: once Postgres has it too, so no screen counts a ballot that a node's crash could
 * still lose. A node that can no longer store says so (not_stored), and the tablet sends again.
 */
function persisted(ctx: Device): Promise<void> {
  return ctx.services.persisted?.() ?? Promise.resolve();
}

/** Acknowledged, counted on screens and told to the table once the ballot is on disk. */
export function submitBallot(ctx: Device, p: PayloadOf<'ballot:submit'>): Promise<BallotReceipt> {
  const { services, push, data } = ctx;
  const device = services.devices.require(data.deviceId);
  const seats = device.table === null ? 0 : (services.tables.seats(data.sessionId).get(device.table) ?? 0);
  const { changed, seat } = services.votes.submit(device, data.secret, p, seats);
  return services.votes
    .stored()
    .then(() => persisted(ctx))
    .then(() => {
      if (changed) {
        push.tally(p.voteId);
        push.overview(data.sessionId);
        // The table's tablets learn which seats are done, so any of them offers the next one.
        if (seat !== null && device.table !== null) void push.deviceStates(data.sessionId, device.table);
      }
      return { voteId: p.voteId, ballotId: p.ballotId, seat, changed };
    });
}

export function submitEvaluation(ctx: Device, p: PayloadOf<'evaluation:submit'>): Promise<{ stepId: string; changed: boolean }> {
  const { services, push, data } = ctx;
  const session = services.sessions.require(data.sessionId);
  const at = findStep(session.agenda, session.run.stepId);
  if (session.run.status !== 'running' || at?.step.type !== 'evaluatie' || at.step.id !== p.stepId) {
    throw new AppError('wrong_step', 'The evaluation is only open during its step');
  }
  const device = services.devices.require(data.deviceId);
  const { changed } = services.evaluations.submit(device, data.secret, p);
  return services.evaluations
    .stored()
    .then(() => persisted(ctx))
    .then(() => {
      if (changed) push.evaluationSummary(data.sessionId, p.stepId);
      return { stepId: p.stepId, changed };
    });
}
