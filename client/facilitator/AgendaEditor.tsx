/**
 * The programme, edited before the session by the organiser and during it by the facilitator.
 * Steps that have run, and the current one, are shown but locked: the server refuses to move,
 * remove or retype them, and the editor does not offer it.
 */
import { useState } from 'react';
import { DEFAULT_VOTE, flatten, STEP_TYPES, type Agenda, type Round, type Step, type StepType } from '../../shared/agenda';
import { Events, LIMITS, type SessionView } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { NavLink } from '../components/NavLink';
import { ConnectionBadge, ReloadNotice } from '../components/ConnectionStatus';
import { Notice, TopBar } from '../components/Page';
import { useErrorText } from '../components/useErrorText';
import { facilitatorKey } from '../lib/storage';
import { useSessionSocket, type SessionConnection } from '../lib/useSessionSocket';
import { MissingKey } from './FacilitatorConsole';
import { cleanVoteSettings, VoteSettingsFields } from './VoteSettingsFields';

/** Rounds and steps as edited: new ones have no id until the server gives them one. */
type DraftStep = Omit<Step, 'id'> & { id?: string };
type DraftRound = Omit<Round, 'id' | 'steps'> & { id?: string; steps: DraftStep[] };

export function AgendaEditorPage({ sessionId }: { sessionId: string }) {
  const key = facilitatorKey(sessionId);
  return key ? <Editor sessionId={sessionId} secret={key} /> : <MissingKey />;
}

function Editor({ sessionId, secret }: { sessionId: string; secret: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const conn = useSessionSocket(sessionId, { role: 'facilitator', key: secret });
  if (conn.status === 'reload') return <ReloadNotice />;
  if (conn.status === 'refused') return <Notice title={errorText(conn.refusal?.code)} />;
  return (
    <div className="page">
      <TopBar>
        <NavLink to={`/f/${sessionId}`} className="button button--quiet">
          {t.agendaEditor.back}
        </NavLink>
        <ConnectionBadge status={conn.status} />
      </TopBar>
      <main className="console agenda-editor">
        <h1>{t.agendaEditor.title}</h1>
        <p>{t.agendaEditor.intro}</p>
        {conn.session ? <Form session={conn.session} emit={conn.emit} /> : <p>{t.common.loading}</p>}
      </main>
    </div>
  );
}

const toDraft = (agenda: Agenda): DraftRound[] => structuredClone(agenda.rounds);

function Form({ session, emit }: { session: SessionView; emit: SessionConnection['emit'] }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [rounds, setRounds] = useState<DraftRound[]>(() => toDraft(session.agenda));
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  // Steps up to the current one are locked (ids that have run).
  const steps = flatten(session.agenda);
  const currentIndex = steps.findIndex((f) => f.step.id === session.run.stepId);
  const lockedIds = new Set(session.run.status === 'ended' ? steps.map((f) => f.step.id) : steps.slice(0, currentIndex + 1).map((f) => f.step.id));
  const lockedRounds = new Set(steps.filter((f) => lockedIds.has(f.step.id)).map((f) => f.round.id));
  const isLocked = (s: DraftStep) => s.id !== undefined && lockedIds.has(s.id);

  // When the session moves on elsewhere, keep the draft but let the locks follow.
  const [statusStep, setStatusStep] = useState(session.run.stepId);
  if (statusStep !== session.run.stepId) {
    setStatusStep(session.run.stepId);
    setStatus(null);
  }

  const updateRound = (ri: number, patch: Partial<DraftRound>) => setRounds(rounds.map((r, i) => (i === ri ? { ...r, ...patch } : r)));
  const updateStep = (ri: number, si: number, patch: Partial<DraftStep>) =>
    updateRound(ri, { steps: rounds[ri]!.steps.map((s, i) => (i === si ? { ...s, ...patch } : s)) });
  const moveStep = (ri: number, si: number, by: -1 | 1) => {
    const list = [...rounds[ri]!.steps];
    [list[si], list[si + by]] = [list[si + by]!, list[si]!];
    updateRound(ri, { steps: list });
  };

  const save = async () => {
    setBusy(true);
    const res = await emit(Events.agendaUpdate, {
      agenda: {
        rounds: rounds.map((r) => ({
          ...(r.id && { id: r.id }),
          ...(r.title?.trim() && { title: r.title.trim() }),
          ...(r.question?.trim() && { question: r.question.trim() }),
          rotate: r.rotate,
          steps: r.steps.map((s) => ({
            ...(s.id && { id: s.id }),
            type: s.type,
            durationSec: s.durationSec,
            ...(s.title?.trim() && { title: s.title.trim() }),
            ...(s.question?.trim() && { question: s.question.trim() }),
            ...(s.type === 'stemmen' && { vote: cleanVoteSettings(s.vote ?? DEFAULT_VOTE) }),
          })),
        })),
      },
    });
    setBusy(false);
    if (res.ok) {
      setRounds(toDraft(res.data));
      setStatus({ ok: true, text: t.agendaEditor.saved });
    } else setStatus({ ok: false, text: errorText(res.error.code) });
  };

  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {rounds.map((round, ri) => {
        const roundLocked = round.id !== undefined && lockedRounds.has(round.id);
        return (
          <fieldset key={round.id ?? `new-${ri}`} className="card agenda-round">
            <legend className="agenda-round__legend">{t.agendaEditor.round(ri + 1)}</legend>
            <div className="agenda-round__fields">
              <div className="field">
                <label htmlFor={`round-${ri}-title`}>{t.agendaEditor.roundTitle}</label>
                <input
                  id={`round-${ri}-title`}
                  value={round.title ?? ''}
                  maxLength={LIMITS.stepTitleLength}
                  onChange={(e) => updateRound(ri, { title: e.target.value })}
                />
              </div>
              <div className="field">
                <label htmlFor={`round-${ri}-question`}>{t.agendaEditor.roundQuestion}</label>
                <input
                  id={`round-${ri}-question`}
                  value={round.question ?? ''}
                  maxLength={LIMITS.questionLength}
                  onChange={(e) => updateRound(ri, { question: e.target.value })}
                />
              </div>
              <label className="choice">
                <input type="checkbox" checked={round.rotate} disabled={roundLocked} onChange={(e) => updateRound(ri, { rotate: e.target.checked })} />
                {t.agendaEditor.rotate}
              </label>
            </div>
            <ol className="agenda-steps">
              {round.steps.map((step, si) => {
                const locked = isLocked(step);
                const prefix = `step-${ri}-${si}`;
                return (
                  <li key={step.id ?? `new-${ri}-${si}`} className={`agenda-step${locked ? ' agenda-step--locked' : ''}`}>
                    <div className="agenda-step__row">
                      <div className="field">
                        <label htmlFor={`${prefix}-type`}>{t.agendaEditor.type}</label>
                        <select
                          id={`${prefix}-type`}
                          value={step.type}
                          disabled={locked}
                          onChange={(e) => {
                            const type = e.target.value as StepType;
                            updateStep(ri, si, { type, ...(type === 'stemmen' && !step.vote ? { vote: DEFAULT_VOTE } : {}) });
                          }}
                        >
                          {STEP_TYPES.map((type) => (
                            <option key={type} value={type}>
                              {t.steps[type]}
                            </option>
                          ))}
                        </select>
                      </div>
                      <div className="field">
                        <label htmlFor={`${prefix}-title`}>{t.agendaEditor.stepTitle}</label>
                        <input
                          id={`${prefix}-title`}
                          value={step.title ?? ''}
                          maxLength={LIMITS.stepTitleLength}
                          onChange={(e) => updateStep(ri, si, { title: e.target.value })}
                        />
                      </div>
                      <div className="field field--short">
                        <label htmlFor={`${prefix}-duration`}>{t.agendaEditor.duration}</label>
                        <input
                          id={`${prefix}-duration`}
                          type="number"
                          inputMode="numeric"
                          min={0}
                          max={LIMITS.stepDurationSec / 60}
                          value={Math.round(step.durationSec / 60)}
                          disabled={locked}
                          onChange={(e) =>
                            updateStep(ri, si, { durationSec: Math.max(0, Math.min(LIMITS.stepDurationSec / 60, Number(e.target.value) || 0)) * 60 })
                          }
                        />
                      </div>
                    </div>
                    {step.type === 'stemmen' && (
                      <VoteSettingsFields
                        value={step.vote ?? DEFAULT_VOTE}
                        kind={session.kind}
                        disabled={locked}
                        onChange={(vote) => updateStep(ri, si, { vote })}
                      />
                    )}
                    <div className="field">
                      <label htmlFor={`${prefix}-question`}>{t.agendaEditor.stepQuestion}</label>
                      <input
                        id={`${prefix}-question`}
                        value={step.question ?? ''}
                        maxLength={LIMITS.questionLength}
                        onChange={(e) => updateStep(ri, si, { question: e.target.value })}
                      />
                    </div>
                    {locked ? (
                      <p className="field__hint">{t.agendaEditor.locked}</p>
                    ) : (
                      <div className="agenda-step__tools">
                        <button
                          type="button"
                          className="button button--small"
                          disabled={si === 0 || isLocked(round.steps[si - 1]!)}
                          onClick={() => moveStep(ri, si, -1)}
                        >
                          ↑ {t.agendaEditor.up}
                        </button>
                        <button type="button" className="button button--small" disabled={si === round.steps.length - 1} onClick={() => moveStep(ri, si, 1)}>
                          ↓ {t.agendaEditor.down}
                        </button>
                        <button
                          type="button"
                          className="button button--small"
                          disabled={round.steps.length <= 1}
                          onClick={() => updateRound(ri, { steps: round.steps.filter((_, i) => i !== si) })}
                        >
                          {t.agendaEditor.removeStep}
                        </button>
                      </div>
                    )}
                  </li>
                );
              })}
            </ol>
            <div className="agenda-step__tools">
              <button
                type="button"
                className="button"
                disabled={round.steps.length >= LIMITS.stepsPerRound}
                onClick={() => updateRound(ri, { steps: [...round.steps, { type: 'inbreng', durationSec: 600 }] })}
              >
                + {t.agendaEditor.addStep}
              </button>
              {!roundLocked && rounds.length > 1 && (
                <button type="button" className="button button--quiet" onClick={() => setRounds(rounds.filter((_, i) => i !== ri))}>
                  {t.agendaEditor.removeRound}
                </button>
              )}
            </div>
          </fieldset>
        );
      })}
      <div className="agenda-step__tools">
        <button
          type="button"
          className="button"
          disabled={rounds.length >= LIMITS.rounds}
          onClick={() =>
            setRounds([
              ...rounds,
              {
                rotate: false,
                steps: [
                  { type: 'instructie', durationSec: 180 },
                  { type: 'inbreng', durationSec: 1200 },
                ],
              },
            ])
          }
        >
          + {t.agendaEditor.addRound}
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {t.agendaEditor.save}
        </button>
      </div>
      {status && (
        <p className={status.ok ? 'success' : 'error'} role={status.ok ? 'status' : 'alert'}>
          {status.text}
        </p>
      )}
    </form>
  );
}
