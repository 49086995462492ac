/** The anonymous evaluation: three statements on a five-point scale and an optional remark. */
import { useState } from 'react';
import { EVALUATION_QUESTIONS, REMARK_LENGTH, SCALE } from '../../shared/evaluation';
import { Events } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { useErrorText } from '../components/useErrorText';
import { evaluations, newBallotId, type StoredEvaluation } from '../lib/storage';
import type { SessionConnection } from '../lib/useSessionSocket';

export function Evaluation({ stepId, emit }: { stepId: string; emit: SessionConnection['emit'] }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [answers, setAnswers] = useState<StoredEvaluation>(
    () => evaluations.get(stepId) ?? { responseId: newBallotId(), scores: {}, remark: '', received: false },
  );
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const update = (patch: Partial<StoredEvaluation>) => {
    const next = { ...answers, ...patch, received: false };
    setAnswers(next);
    evaluations.set(stepId, next);
  };

  const send = async () => {
    setSending(true);
    const res = await emit(Events.evaluationSubmit, {
      stepId,
      responseId: answers.responseId,
      scores: answers.scores,
      ...(answers.remark.trim() && { remark: answers.remark.trim() }),
    });
    setSending(false);
    if (res.ok) {
      const next = { ...answers, received: true };
      setAnswers(next);
      evaluations.set(stepId, next);
      setError(null);
    } else setError(errorText(res.error.code));
  };

  const answered = Object.keys(answers.scores).length > 0 || answers.remark.trim() !== '';
  return (
    <section className="evaluation" aria-labelledby="evaluation-title">
      <h2 id="evaluation-title">{t.evaluation.title}</h2>
      <p className="ballot__anon">{t.evaluation.intro}</p>
      {EVALUATION_QUESTIONS.map((q) => (
        <fieldset key={q} className="evaluation__question">
          <legend>{t.evaluation.questions[q]}</legend>
          <div className="scale">
            {SCALE.map((n) => (
              <label key={n} className={`scale__option${answers.scores[q] === n ? ' scale__option--chosen' : ''}`}>
                <input
                  type="radio"
                  name={`eval-${q}`}
                  value={n}
                  checked={answers.scores[q] === n}
                  onChange={() => update({ scores: { ...answers.scores, [q]: n } })}
                />
                <span className="scale__number" aria-hidden="true">
                  {n}
                </span>
                <span className="scale__label">{t.evaluation.scale[n - 1]}</span>
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      <div className="field">
        <label htmlFor="eval-remark">{t.evaluation.remark}</label>
        <textarea id="eval-remark" rows={3} maxLength={REMARK_LENGTH} value={answers.remark} onChange={(e) => update({ remark: e.target.value })} />
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {answers.received ? (
        <div className="success" role="status">
          <p>
            <strong>{t.evaluation.received}</strong>
          </p>
          <p>{t.evaluation.receivedHint}</p>
        </div>
      ) : (
        <button type="button" className="button button--primary button--wide" disabled={sending || !answered} onClick={send}>
          {sending ? t.ballot.sending : t.evaluation.send}
        </button>
      )}
    </section>
  );
}
