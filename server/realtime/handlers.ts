/**
 * Every client event's handler, in one table typed by the contract in shared/protocol.ts
 * (CLIENT_EVENTS): a missing handler, a handler for the wrong senders, or a reply of the wrong
 * shape does not compile. The handlers live by concern in handlers/.
 */
import { Events, type ClientEvent, type PayloadOf, type ReplyOf, type SenderOf } from '../../shared/protocol.js';
import type { HandlerContext } from './context.js';
import { clockSync, takeOver } from './handlers/console.js';
import { harvest } from './handlers/plenary.js';
import { setProjector } from './handlers/projector.js';
import { extendTimer, gotoStep, nextStep, pauseTimer, previousStep, resumeTimer, startSession, undoStep, updateAgenda } from './handlers/run.js';
import { clearSignal, hostLinks, moveDevice, setSeats } from './handlers/tables.js';
import { joinTable, submitBallot, submitEvaluation, tableSignal } from './handlers/tablet.js';
import { endVote, openVote } from './handlers/vote.js';

export type Handler<E extends ClientEvent> = (ctx: HandlerContext<SenderOf<E>>, payload: PayloadOf<E>) => ReplyOf<E> | Promise<ReplyOf<E>>;

export const HANDLERS: { [E in ClientEvent]: Handler<E> } = {
  [Events.clockSync]: clockSync,
  [Events.deviceJoinTable]: joinTable,
  [Events.tableSignal]: tableSignal,
  [Events.ballotSubmit]: submitBallot,
  [Events.evaluationSubmit]: submitEvaluation,
  [Events.tableClearSignal]: clearSignal,
  [Events.sessionStart]: startSession,
  [Events.stepNext]: nextStep,
  [Events.stepBack]: previousStep,
  [Events.stepUndo]: undoStep,
  [Events.stepGoto]: gotoStep,
  [Events.timerPause]: pauseTimer,
  [Events.timerResume]: resumeTimer,
  [Events.timerExtend]: extendTimer,
  [Events.agendaUpdate]: updateAgenda,
  [Events.projectorSet]: setProjector,
  [Events.deviceMove]: moveDevice,
  [Events.hostLinks]: hostLinks,
  [Events.tableSeats]: setSeats,
  [Events.plenaryHarvest]: harvest,
  [Events.voteOpen]: openVote,
  [Events.voteClose]: endVote,
  [Events.consoleTakeover]: takeOver,
};
