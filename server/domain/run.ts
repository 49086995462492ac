/**
 * Running the agenda: which step is current and its timer. Pure transitions, so the rules
 * (what "next" does on the last step, what an agenda edit may touch) are tested without I/O.
 */
import { flatten, type Agenda, type FlatStep, type Round, type Step } from '../../shared/agenda.js';
import { extendTimer, pauseTimer, resumeTimer, startTimer, type Timer } from '../../shared/clock.js';
import type { AgendaInput } from '../../shared/protocol.js';

export interface RunState {
  status: 'lobby' | 'running' | 'ended';
  stepId: string | null;
  timer: Timer | null;
  /** Where the session was before its last step move, so a move made by mistake can be undone. */
  undo?: UndoPoint | null;
}

/** A step left behind, with its timer stopped at the moment it was left. */
export interface UndoPoint {
  status: RunState['status'];
  stepId: string | null;
  timer: Timer | null;
  /** The timer was running when the step was left, and runs on from there after an undo. */
  resume: boolean;
  movedAt: number;
}

export const LOBBY: RunState = { status: 'lobby', stepId: null, timer: null, undo: null };

/** The state after a step move, remembering the one before it. */
export function moved(before: RunState, after: RunState, now: number): RunState {
  const timer = before.timer ? pauseTimer(before.timer, now) : null;
  return { ...after, undo: { status: before.status, stepId: before.stepId, timer, resume: before.timer?.running ?? false, movedAt: now } };
}

/** Back to where the last step move came from, with the timer as it was then. Once only. */
export function undo(run: RunState, now: number): RunState {
  const point = run.undo;
  if (!point) throw new RunError('wrong_step', 'There is no step move to undo');
  const timer = point.timer && point.resume ? resumeTimer(point.timer, now) : point.timer;
  return { status: point.status, stepId: point.stepId, timer, undo: null };
}

export class RunError extends Error {
  constructor(
    readonly code: 'not_started' | 'wrong_step' | 'step_locked' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

function current(run: RunState, agenda: Agenda): FlatStep | undefined {
  return flatten(agenda).find((f) => f.step.id === run.stepId);
}

function enter(flat: FlatStep | undefined, now: number): RunState {
  if (!flat) return { status: 'ended', stepId: null, timer: null };
  return { status: 'running', stepId: flat.step.id, timer: startTimer(flat.step.durationSec * 1000, now) };
}

export function start(run: RunState, agenda: Agenda, now: number): RunState {
  if (run.status !== 'lobby') throw new RunError('wrong_step', 'The session has already started');
  return enter(flatten(agenda)[0], now);
}

/** The next step; after the last one the session has ended. From the lobby, the first step. */
export function next(run: RunState, agenda: Agenda, now: number): RunState {
  if (run.status === 'lobby') return start(run, agenda, now);
  if (run.status === 'ended') throw new RunError('wrong_step', 'The session has ended; go back or jump to a step');
  const at = current(run, agenda);
  return enter(flatten(agenda)[(at?.index ?? -1) + 1], now);
}

/** The step before; from the end, the last step. */
export function back(run: RunState, agenda: Agenda, now: number): RunState {
  const steps = flatten(agenda);
  if (run.status === 'lobby') throw new RunError('not_started', 'The session has not started yet');
  if (run.status === 'ended') return enter(steps.at(-1), now);
  const at = current(run, agenda);
  if (!at || at.index === 0) throw new RunError('wrong_step', 'This is the first step');
  return enter(steps[at.index - 1], now);
}

export function goTo(_run: RunState, agenda: Agenda, stepId: string, now: number): RunState {
  const target = flatten(agenda).find((f) => f.step.id === stepId);
  if (!target) throw new RunError('not_found', 'There is no such step in the agenda');
  return enter(target, now);
}

function runningTimer(run: RunState): Timer {
  if (run.status !== 'running' || !run.timer) throw new RunError('not_started', 'No step is running');
  if (run.timer.durationMs === 0) throw new RunError('wrong_step', 'This step has no timer');
  return run.timer;
}

export const pause = (run: RunState, now: number): RunState => ({ ...run, timer: pauseTimer(runningTimer(run), now) });
export const resume = (run: RunState, now: number): RunState => ({ ...run, timer: resumeTimer(runningTimer(run), now) });
export const extend = (run: RunState, seconds: number, now: number): RunState => ({
  ...run,
  timer: extendTimer(runningTimer(run), seconds * 1000, now),
});

/**
 * Applies an edited agenda. New rounds and steps get ids; steps that already ran, and the
 * current one, must stay where they are with their type, so history and the running step
 * keep their meaning. Upcoming steps may change freely.
 */
export function editAgenda(run: RunState, old: Agenda, input: AgendaInput, makeId: () => string): Agenda {
  if (run.status === 'ended') throw new RunError('step_locked', 'The session has ended; its agenda is history now');
  const agenda: Agenda = {
    rounds: input.rounds.map((r): Round => ({
      id: r.id ?? makeId(),
      ...(r.title !== undefined && { title: r.title }),
      ...(r.question !== undefined && { question: r.question }),
      rotate: r.rotate ?? false,
      steps: r.steps.map((s): Step => ({
        id: s.id ?? makeId(),
        type: s.type,
        durationSec: s.durationSec,
        ...(s.title !== undefined && { title: s.title }),
        ...(s.question !== undefined && { question: s.question }),
        ...(s.vote !== undefined && { vote: s.vote }),
      })),
    })),
  };
  if (run.status === 'running') {
    const at = current(run, old);
    const before = flatten(old).slice(0, (at?.index ?? -1) + 1);
    const after = flatten(agenda).slice(0, before.length);
    const kept = before.every((b, i) => after[i]?.step.id === b.step.id && after[i]?.step.type === b.step.type && after[i]?.round.id === b.round.id);
    if (!kept) throw new RunError('step_locked', 'Steps that have run, and the current step, cannot be moved, removed or change type');
  }
  return agenda;
}
