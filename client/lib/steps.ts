/** Where the session is in its agenda, as the screens need it. */
import { findStep, flatten, questionFor, type FlatStep, type StepType } from '../../shared/agenda';
import type { Messages } from '../i18n/nl';
import type { SessionView } from '../../shared/protocol';

export interface Position {
  status: SessionView['run']['status'];
  current: FlatStep | undefined;
  total: number;
  question: string;
}

export function position(session: SessionView): Position {
  const current = findStep(session.agenda, session.run.stepId);
  return {
    status: session.run.status,
    current,
    total: flatten(session.agenda).length,
    question: questionFor(current, session.question),
  };
}

/** What the session is doing now, in a few words: the step's name, or not started / finished. */
export function stepName(t: Messages, pos: Position): string {
  if (pos.status === 'running' && pos.current) return stepTitle(t, pos.current.step);
  return pos.status === 'lobby' ? t.run.lobby : t.run.ended;
}

/** A step's own title, or the name of its kind. */
export function stepTitle(t: Messages, step: { type: StepType; title?: string }): string {
  return step.title ?? t.steps[step.type];
}
