/**
 * The facilitator runs the agenda: each action here applies a pure transition from
 * domain/run.ts, stores the result, logs it with server time, and does what a step change
 * implies (a vote does not outlive its step; "wij zijn klaar" starts over).
 */
import { findStep, flatten, type FlatStep } from '../shared/agenda.js';
import type { AgendaInput } from '../shared/protocol.js';
import { boardPhase, type BoardPhase } from './domain/boardRules.js';
import { onStepEntered } from './domain/projector.js';
import * as run from './domain/run.js';
import { AppError } from './errors.js';
import type { EventLog } from './eventLog.js';
import { newId } from './secrets.js';
import type { Session, Sessions } from './sessions.js';
import type { Tables } from './tables.js';
import type { Votes } from './votes.js';

export type RunAction =
  | { type: 'start' }
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'goto'; stepId: string }
  | { type: 'undo' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'extend'; seconds: number };

export class RunControl {
  constructor(
    private readonly sessions: Sessions,
    private readonly tables: Tables,
    private readonly votes: Votes,
    private readonly events: EventLog,
  ) {}

  currentStep(session: Session): FlatStep | undefined {
    return findStep(session.agenda, session.run.stepId);
  }

  apply(sessionId: string, action: RunAction, now = Date.now()): { run: run.RunState; closedVote: string | null } {
    const session = this.sessions.require(sessionId);
    const before = session.run;
    const next = guard(() => {
      switch (action.type) {
        case 'start':
          return run.moved(before, run.start(before, session.agenda, now), now);
        case 'next':
          return run.moved(before, run.next(before, session.agenda, now), now);
        case 'back':
          return run.moved(before, run.back(before, session.agenda, now), now);
        case 'goto':
          return run.moved(before, run.goTo(before, session.agenda, action.stepId, now), now);
        case 'undo':
          return run.undo(before, now);
        case 'pause':
          return run.pause(before, now);
        case 'resume':
          return run.resume(before, now);
        case 'extend':
          return run.extend(before, action.seconds, now);
      }
    });
    this.sessions.setRun(sessionId, next);
    let closedVote: string | null = null;
    if (action.type === 'pause' || action.type === 'resume' || action.type === 'extend') {
      if (action.type === 'extend') this.events.append(sessionId, 'timer.extend', { seconds: action.seconds }, now);
      else if (action.type === 'pause') this.events.append(sessionId, 'timer.pause', {}, now);
      else this.events.append(sessionId, 'timer.resume', {}, now);
    } else {
      // Entering a step (again) starts it afresh.
      this.tables.clearReady(sessionId);
      closedVote = this.closeVoteOfLeftStep(session, next);
      const step = findStep(session.agenda, next.stepId);
      this.events.append(
        sessionId,
        'step.entered',
        { action: action.type, status: next.status, stepId: next.stepId, stepType: step?.step.type ?? null, round: step ? step.roundIndex + 1 : null },
        now,
      );
      // What was put in the spotlight belongs to its step: in the next one the projector follows
      // the step again (a plenary list left on would otherwise hide the vote that opens next).
      if (next.stepId !== before.stepId) {
        const projector = onStepEntered(session.projector, now);
        this.sessions.setProjector(sessionId, projector);
        if (projector.spotlight !== session.projector.spotlight) this.events.append(sessionId, 'projector.changed', projector, now);
      }
    }
    return { run: next, closedVote };
  }

  editAgenda(sessionId: string, input: AgendaInput, now = Date.now()) {
    const session = this.sessions.require(sessionId);
    const agenda = guard(() => run.editAgenda(session.run, session.agenda, input, newId));
    this.sessions.setAgenda(sessionId, agenda);
    this.events.append(sessionId, 'agenda.edited', { rounds: agenda.rounds.length, steps: flatten(agenda).length }, now);
    return agenda;
  }

  /** Where the session is, for what its boards accept (see domain/boardRules.ts). */
  boardPhase(sessionId: string): BoardPhase {
    const session = this.sessions.get(sessionId);
    if (!session) return 'ended';
    return boardPhase(session.run.status, this.currentStep(session)?.step.type);
  }

  /** A vote belongs to the step in which it was opened: any other step closes it. */
  private closeVoteOfLeftStep(session: Session, next: run.RunState): string | null {
    const open = this.votes.openVote(session.id);
    if (!open || next.stepId === session.run.stepId) return null;
    return open.id;
  }
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof run.RunError) throw new AppError(err.code, err.message);
    throw err;
  }
}
