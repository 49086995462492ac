/** Live results of the evaluation, for the facilitator only. */
import { EVALUATION_QUESTIONS, type EvaluationSummary } from '../../shared/evaluation';
import { useI18n } from '../i18n/I18n';

export function EvaluationPanel({ summary }: { summary: EvaluationSummary }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby={`evaluation-${summary.stepId}`}>
      <h2 id={`evaluation-${summary.stepId}`}>{t.evaluation.results}</h2>
      <p className="turnout">{t.evaluation.responses(summary.responses)}</p>
      <table className="data-table">
        <tbody>
          {EVALUATION_QUESTIONS.map((q) => {
            const row = summary.questions.find((x) => x.id === q)!;
            return (
              <tr key={q}>
                <th scope="row">{t.evaluation.questions[q]}</th>
                <td>{t.evaluation.average(row.average)}</td>
                <td aria-label={row.counts.map((c, i) => `${t.evaluation.scale[i]}: ${c}`).join(', ')}>{row.counts.join(' · ')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {summary.remarks.length > 0 && (
        <>
          <h3>{t.evaluation.remarks}</h3>
          <ul>
            {summary.remarks.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
