/**
 * What may change on a board, and when: the server's rules for table documents (and the
 * plenary board), decided from the session's current step as the server knows it, never from
 * what an update says about itself. Pure: the Yjs endpoint describes an update
 * (yjs/updateGuard.ts) and asks here. The rules are written down in docs/api.md ("What a board
 * accepts, step by step").
 */
import { POINT_STEPS, type StepType } from '../../shared/agenda.js';
import type { BoardRefusalCode } from '../../shared/protocol.js';

/** Where the session is, as far as its boards are concerned. */
export type BoardPhase =
  /** Before the start: the boards wait. */
  | 'lobby'
  /** inbreng, clusteren: the table writes, edits, sorts and merges its points. */
  | 'collecting'
  /** prioriteren: the table picks its top 3; the points stay as they are. */
  | 'prioritising'
  /** Any other step: the points stay as they are. */
  | 'locked'
  /** After the end: the boards are the record and do not change. */
  | 'ended';

export function boardPhase(status: 'lobby' | 'running' | 'ended', step: StepType | undefined): BoardPhase {
  if (status === 'lobby') return 'lobby';
  if (status === 'ended') return 'ended';
  if (step !== undefined && POINT_STEPS.has(step)) return 'collecting';
  return step === 'prioriteren' ? 'prioritising' : 'locked';
}

/** One thing an update does to a board, as updateGuard.ts reads it. */
export type BoardChange =
  | { kind: 'point.add'; id: string; hidden: boolean }
  | { kind: 'point.replace'; id: string; hidden: boolean }
  | { kind: 'point.delete'; id: string; hidden: boolean }
  | { kind: 'point.text' }
  /** A field of a point other than its text and `hidden`: theme, order, mergedInto… */
  | { kind: 'point.field'; field: string }
  | { kind: 'point.hidden' }
  | { kind: 'cluster.add' }
  | { kind: 'cluster.delete' }
  | { kind: 'cluster.label' }
  | { kind: 'cluster.field'; field: string }
  | { kind: 'top' }
  /** A suggested pair said not to be duplicates (or that said undone). */
  | { kind: 'notSame' }
  /** The plenary board's own themes. */
  | { kind: 'themes' }
  /** Anything outside the documented shape of the document. */
  | { kind: 'shape'; what: string };

export type Writer = 'device' | 'host' | 'facilitator';

/** Whether a change hides or shows a point, in whatever form. */
function touchesHidden(change: BoardChange): boolean {
  switch (change.kind) {
    case 'point.hidden':
      return true;
    case 'point.add':
    case 'point.replace':
    case 'point.delete':
      return change.hidden;
    default:
      return false;
  }
}

/** The reason a change is refused, or null when it may be made. */
export function refusalOf(change: BoardChange, phase: BoardPhase, writer: Writer, plenary: boolean): BoardRefusalCode | null {
  if (change.kind === 'shape') return 'bad_shape';
  if (phase === 'ended') return 'session_ended';
  // The facilitator's plenary board: anything within its shape, until the end.
  if (plenary) return writer === 'facilitator' ? null : 'read_only';
  if (phase === 'lobby') return 'step_locked';
  // A host takes a point off the screens (or puts it back) in any step: moderation cannot wait.
  if (touchesHidden(change) && writer !== 'host') return 'host_only';
  switch (change.kind) {
    case 'point.hidden':
      return null;
    case 'point.add':
    case 'point.replace':
    case 'point.delete':
    case 'point.text':
    case 'point.field':
    case 'cluster.add':
    case 'cluster.delete':
    case 'cluster.field':
    case 'notSame':
      return phase === 'collecting' ? null : 'step_locked';
    case 'cluster.label':
      if (writer !== 'host') return 'host_only';
      return phase === 'collecting' ? null : 'step_locked';
    case 'top':
      return phase === 'prioritising' ? null : 'step_locked';
    case 'themes':
      return 'bad_shape';
  }
}

/**
 * The first refusal among an update's changes (the shape first, then the end of the session,
 * then the rest in order), or null when the whole update may stand.
 */
export function refuseUpdate(changes: readonly BoardChange[], phase: BoardPhase, writer: Writer, plenary: boolean): BoardRefusalCode | null {
  const refusals = changes.map((c) => refusalOf(c, phase, writer, plenary)).filter((r) => r !== null);
  const first = (code: BoardRefusalCode) => refusals.includes(code);
  if (first('bad_shape')) return 'bad_shape';
  if (first('session_ended')) return 'session_ended';
  return refusals[0] ?? null;
}
