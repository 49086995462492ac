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

/** The draft as `agenda:update` takes it: empty texts left out, a vote step's settings cleaned. */
function toAgendaPayload(rounds: DraftRound[]) {
  return {
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
  };
}

const NEW_ROUND: DraftRound = {
  rotate: false,
  steps: [
    { type: 'instructie', durationSec: 180 },
    { type: 'inbreng', durationSec: 1200 },
  ],
};

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

  const save = async () => {
    setBusy(true);
    const res = await emit(Events.agendaUpdate, { agenda: toAgendaPayload(rounds) });
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
      {rounds.map((round, ri) => (
        <RoundFields
          key={round.id ?? `new-${ri}`}
          round={round}
          index={ri}
          kind={session.kind}
          locked={round.id !== undefined && lockedRounds.has(round.id)}
          isLocked={isLocked}
          removable={rounds.length > 1}
          onChange={(next) => setRounds(rounds.map((r, i) => (i === ri ? next : r)))}
          onRemove={() => setRounds(rounds.filter((_, i) => i !== ri))}
        />
      ))}
      <div className="agenda-step__tools">
        <button type="button" className="button" disabled={rounds.length >= LIMITS.rounds} onClick={() => setRounds([...rounds, structuredClone(NEW_ROUND)])}>
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

interface RoundProps {
  round: DraftRound;
  index: number;
  kind: SessionView['kind'];
  /** A round in which a step has run keeps its rotation and stays. */
  locked: boolean;
  isLocked: (step: DraftStep) => boolean;
  removable: boolean;
  onChange: (round: DraftRound) => void;
  onRemove: () => void;
}

function RoundFields({ round, index: ri, kind, locked, isLocked, removable, onChange, onRemove }: RoundProps) {
  const { t } = useI18n();
  const update = (patch: Partial<DraftRound>) => onChange({ ...round, ...patch });
  const setSteps = (steps: DraftStep[]) => update({ steps });
  const moveStep = (si: number, by: -1 | 1) => {
    const list = [...round.steps];
    [list[si], list[si + by]] = [list[si + by]!, list[si]!];
    setSteps(list);
  };
  return (
    <fieldset className="card agenda-round">
      <legend className="agenda-round__legend">{t.agendaEditor.round(ri + 1)}</legend>
      <div className="agenda-round__fields">
        <div className="field">
          <label htmlFor={`round-${ri}-title`}>{t.agendaEditor.roundTitle}</label>
          <input id={`round-${ri}-title`} value={round.title ?? ''} maxLength={LIMITS.stepTitleLength} onChange={(e) => update({ title: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`round-${ri}-question`}>{t.agendaEditor.roundQuestion}</label>
          <input
            id={`round-${ri}-question`}
            value={round.question ?? ''}
            maxLength={LIMITS.questionLength}
            onChange={(e) => update({ question: e.target.value })}
          />
        </div>
        <label className="choice">
          <input type="checkbox" checked={round.rotate} disabled={locked} onChange={(e) => update({ rotate: e.target.checked })} />
          {t.agendaEditor.rotate}
        </label>
      </div>
      <ol className="agenda-steps">
        {round.steps.map((step, si) => (
          <StepFields
            key={step.id ?? `new-${ri}-${si}`}
            step={step}
            prefix={`step-${ri}-${si}`}
            kind={kind}
            locked={isLocked(step)}
            canMoveUp={si > 0 && !isLocked(round.steps[si - 1]!)}
            canMoveDown={si < round.steps.length - 1}
            canRemove={round.steps.length > 1}
            onChange={(patch) => setSteps(round.steps.map((s, i) => (i === si ? { ...s, ...patch } : s)))}
            onMove={(by) => moveStep(si, by)}
            onRemove={() => setSteps(round.steps.filter((_, i) => i !== si))}
          />
        ))}
      </ol>
      <div className="agenda-step__tools">
        <button
          type="button"
          className="button"
          disabled={round.steps.length >= LIMITS.stepsPerRound}
          onClick={() => setSteps([...round.steps, { type: 'inbreng', durationSec: 600 }])}
        >
          + {t.agendaEditor.addStep}
        </button>
        {!locked && removable && (
          <button type="button" className="button button--quiet" onClick={onRemove}>
            {t.agendaEditor.removeRound}
          </button>
        )}
      </div>
    </fieldset>
  );
}

interface StepProps {
  step: DraftStep;
  /** Makes the ids of this step's fields. */
  prefix: string;
  kind: SessionView['kind'];
  /** A step that has run, or runs now: shown, but only its texts can change. */
  locked: boolean;
  canMoveUp: boolean;
  canMoveDown: boolean;
  canRemove: boolean;
  onChange: (patch: Partial<DraftStep>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

function StepFields({ step, prefix, kind, locked, canMoveUp, canMoveDown, canRemove, onChange, onMove, onRemove }: StepProps) {
  const { t } = useI18n();
  const maxMinutes = LIMITS.stepDurationSec / 60;
  return (
    <li className={`agenda-step${locked ? ' agenda-step--locked' : ''}`}>
      <div className="agenda-step__row">
        <div className="field">
          <label htmlFor={`${prefix}-type`}>{t.agendaEditor.type}</label>
          <select
            id={`${prefix}-type`}
            value={step.type}
            disabled={locked}
            onChange={(e) => {
              const type = e.target.value as StepType;
              onChange({ type, ...(type === 'stemmen' && !step.vote ? { vote: DEFAULT_VOTE } : {}) });
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
          <input id={`${prefix}-title`} value={step.title ?? ''} maxLength={LIMITS.stepTitleLength} onChange={(e) => onChange({ title: e.target.value })} />
        </div>
        <div className="field field--short">
          <label htmlFor={`${prefix}-duration`}>{t.agendaEditor.duration}</label>
          <input
            id={`${prefix}-duration`}
            type="number"
            inputMode="numeric"
            min={0}
            max={maxMinutes}
            value={Math.round(step.durationSec / 60)}
            disabled={locked}
            onChange={(e) => onChange({ durationSec: Math.max(0, Math.min(maxMinutes, Number(e.target.value) || 0)) * 60 })}
          />
        </div>
      </div>
      {step.type === 'stemmen' && (
        <VoteSettingsFields value={step.vote ?? DEFAULT_VOTE} kind={kind} disabled={locked} onChange={(vote) => onChange({ vote })} />
      )}
      <div className="field">
        <label htmlFor={`${prefix}-question`}>{t.agendaEditor.stepQuestion}</label>
        <input
          id={`${prefix}-question`}
          value={step.question ?? ''}
          maxLength={LIMITS.questionLength}
          onChange={(e) => onChange({ question: e.target.value })}
        />
      </div>
      {locked ? (
        <p className="field__hint">{t.agendaEditor.locked}</p>
      ) : (
        <div className="agenda-step__tools">
          <button type="button" className="button button--small" disabled={!canMoveUp} onClick={() => onMove(-1)}>
            ↑ {t.agendaEditor.up}
          </button>
          <button type="button" className="button button--small" disabled={!canMoveDown} onClick={() => onMove(1)}>
            ↓ {t.agendaEditor.down}
          </button>
          <button type="button" className="button button--small" disabled={!canRemove} onClick={onRemove}>
            {t.agendaEditor.removeStep}
          </button>
        </div>
      )}
    </li>
  );
}
