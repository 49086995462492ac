/**
 * Running the evening: the current step and its timer, the controls, and the programme to jump
 * in. Moves that skip ahead or end the session ask first; a move made by mistake can be undone.
 */
import { useEffect, useState } from 'react';
import { flatten } from '../../shared/agenda';
import { Events, type SessionView } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { useConfirm } from '../components/ConfirmDialog';
import { NavLink } from '../components/NavLink';
import { StepTimer } from '../components/StepTimer';
import { useErrorText } from '../components/useErrorText';
import { serverNow } from '../lib/serverClock';
import { position, stepTitle } from '../lib/steps';
import type { EmitResult, SessionConnection } from '../lib/useSessionSocket';

/** How long "back to …" stays offered after a move: long enough to notice a mistake. */
const UNDO_MS = 2 * 60_000;

export function RunPanel({ session, emit }: { session: SessionView; emit: SessionConnection['emit'] }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dialog, confirm] = useConfirm();
  const pos = position(session);
  const { run } = session;
  const steps = flatten(session.agenda);
  const undoTo = useUndo(session);

  const act = async (fn: () => Promise<EmitResult<unknown>>) => {
    setBusy(true);
    setError(null);
    const res = await fn();
    if (!res.ok) setError(errorText(res.error.code));
    setBusy(false);
  };
  const isLast = pos.current !== undefined && pos.current.index === steps.length - 1;
  const next = async () => {
    if (isLast && !(await confirm(t.console.confirmEnd, t.console.confirmEndButton))) return;
    await act(() => emit(Events.stepNext, { from: run.stepId }));
  };
  const goTo = async (stepId: string, index: number, title: string) => {
    // One step ahead is just "next"; anything further, or back, is a jump worth a question.
    const near = pos.current !== undefined && index === pos.current.index + 1;
    if (!near && !(await confirm(t.console.confirmJump(title), t.console.confirmJumpButton))) return;
    await act(() => emit(Events.stepGoto, { stepId, from: run.stepId }));
  };

  return (
    <section className="card run-panel" aria-labelledby="run-title">
      {dialog}
      <h2 id="run-title" className="sr-only">
        {t.run.agendaTitle}
      </h2>
      <div className="run-panel__now">
        {run.status === 'running' && pos.current ? (
          <div>
            <p className="run-panel__where">
              {pos.current.round.title ?? t.run.round(pos.current.roundIndex + 1)} · {t.run.stepOf(pos.current.index + 1, pos.total)}
            </p>
            <p className="run-panel__step">{stepTitle(t, pos.current.step)}</p>
            <p className="run-panel__question">{pos.question}</p>
          </div>
        ) : (
          <p className="run-panel__step">{run.status === 'lobby' ? t.run.lobby : t.run.ended}</p>
        )}
        <StepTimer timer={run.status === 'running' ? run.timer : null} />
      </div>

      <div className="run-panel__controls" role="group" aria-label={t.run.agendaTitle}>
        {run.status === 'lobby' ? (
          <button type="button" className="button button--primary" disabled={busy} onClick={() => act(() => emit(Events.sessionStart, {}))}>
            {t.run.start}
          </button>
        ) : (
          <>
            <button type="button" className="button button--primary" disabled={busy || run.status === 'ended'} onClick={() => void next()}>
              {t.run.next} →
            </button>
            {run.timer && run.timer.durationMs > 0 && (
              <>
                {run.timer.running ? (
                  <button type="button" className="button" disabled={busy} onClick={() => act(() => emit(Events.timerPause, {}))}>
                    {t.run.pause}
                  </button>
                ) : (
                  <button type="button" className="button" disabled={busy} onClick={() => act(() => emit(Events.timerResume, {}))}>
                    {t.run.resume}
                  </button>
                )}
                <button type="button" className="button" disabled={busy} onClick={() => act(() => emit(Events.timerExtend, { seconds: 60 }))}>
                  {t.run.plus1}
                </button>
                <button type="button" className="button" disabled={busy} onClick={() => act(() => emit(Events.timerExtend, { seconds: 300 }))}>
                  {t.run.plus5}
                </button>
              </>
            )}
            <button type="button" className="button" disabled={busy} onClick={() => act(() => emit(Events.stepBack, { from: run.stepId }))}>
              ← {t.run.back}
            </button>
          </>
        )}
      </div>
      {undoTo && (
        <div className="run-panel__undo">
          <button type="button" className="button button--quiet" disabled={busy} onClick={() => act(() => emit(Events.stepUndo, { from: run.stepId }))}>
            ↶ {t.console.undo(undoTo)}
          </button>
          <span className="field__hint">{t.console.undoHint}</span>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      <details className="agenda-list">
        <summary>{t.run.agendaTitle}</summary>
        <ol>
          {steps.map((f) => {
            const isNow = f.step.id === run.stepId;
            const done = pos.current ? f.index < pos.current.index : run.status === 'ended';
            const title = stepTitle(t, f.step);
            return (
              <li key={f.step.id} className={`agenda-list__item${isNow ? ' agenda-list__item--now' : ''}${done ? ' agenda-list__item--done' : ''}`}>
                {f.round.steps[0]?.id === f.step.id && (
                  <span className="agenda-list__round">
                    {f.round.title ?? t.run.round(f.roundIndex + 1)}
                    {f.round.rotate ? ` · ${t.run.rotate}` : ''}
                  </span>
                )}
                <span className="agenda-list__title">
                  {title}{' '}
                  <span className="agenda-list__meta">
                    ({f.step.durationSec > 0 ? t.run.minutes(Math.round(f.step.durationSec / 60)) : t.run.noTimer}
                    {isNow ? `, ${t.run.now}` : done ? `, ${t.run.done}` : ''})
                  </span>
                </span>
                {!isNow && (
                  <button
                    type="button"
                    className="button button--quiet"
                    disabled={busy}
                    aria-label={t.run.goTo(title)}
                    onClick={() => void goTo(f.step.id, f.index, title)}
                  >
                    →
                  </button>
                )}
              </li>
            );
          })}
        </ol>
        <NavLink to={`/f/${session.id}/programma`} className="button">
          {t.run.editAgenda}
        </NavLink>
      </details>
    </section>
  );
}

/** The title of the step an undo would return to, while the last move is recent enough to offer it. */
function useUndo(session: SessionView): string | null {
  const { t } = useI18n();
  const undo = session.run.undo;
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    if (!undo) return;
    const left = undo.movedAt + UNDO_MS - serverNow();
    if (left <= 0) return;
    const id = window.setTimeout(() => setNow(serverNow()), left);
    return () => window.clearTimeout(id);
  }, [undo]);
  if (!undo || now - undo.movedAt > UNDO_MS) return null;
  if (undo.status === 'lobby') return t.console.beforeStart;
  const step = flatten(session.agenda).find((f) => f.step.id === undo.stepId);
  return step ? stepTitle(t, step.step) : t.run.ended;
}
