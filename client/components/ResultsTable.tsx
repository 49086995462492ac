/** A vote's results as a table, with the counters of its method: backs the chart for screen readers, and shows on tablets. */
import type { ResultRow, VoteMethod } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';

export interface ResultLine extends ResultRow {
  text: string;
  table: number | null;
}

export function ResultsTable({
  rows,
  method,
  labels = [],
  className,
}: {
  rows: ResultLine[];
  method: VoteMethod;
  labels?: readonly string[];
  className?: string;
}) {
  const { t } = useI18n();
  const showTable = rows.some((r) => r.table !== null);
  const hasSpread = method === 'ranking' || method === 'points' || method === 'graded';
  const pct = (n: number | null | undefined) => (n == null ? '–' : `${Math.round(n)} %`);
  return (
    <table className={className}>
      <thead>
        <tr>
          <th scope="col">{t.report.rank}</th>
          <th scope="col">{t.vote.point}</th>
          {showTable && <th scope="col">{t.report.tableCol}</th>}
          {method === 'dots' && <th scope="col">{t.vote.dots}</th>}
          {method === 'points' && <th scope="col">{t.vote.points}</th>}
          {method === 'ranking' && (
            <>
              <th scope="col">{t.vote.borda}</th>
              <th scope="col">{t.vote.firsts}</th>
            </>
          )}
          {method === 'recommendations' && (
            <>
              <th scope="col">{t.vote.support}</th>
              <th scope="col">{t.vote.oppose}</th>
              <th scope="col">{t.vote.abstain}</th>
              <th scope="col">{t.vote.supportPct}</th>
              <th scope="col">{t.vote.adopted}</th>
            </>
          )}
          {method === 'graded' && (
            <>
              {labels.map((label, i) => (
                <th key={i} scope="col">
                  {label}
                </th>
              ))}
              <th scope="col">{t.vote.supportPct}</th>
              <th scope="col">{t.vote.adopted}</th>
            </>
          )}
          {hasSpread && <th scope="col">{t.vote.spread}</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <td>
              {r.rank}
              {r.tied ? ` (${t.vote.tie})` : ''}
            </td>
            <td>{r.text}</td>
            {showTable && <td>{r.table ?? '–'}</td>}
            {(method === 'dots' || method === 'points') && <td>{r.score}</td>}
            {method === 'ranking' && (
              <>
                <td>{r.score}</td>
                <td>{r.firsts ?? 0}</td>
              </>
            )}
            {method === 'recommendations' && (
              <>
                <td>{r.support ?? 0}</td>
                <td>{r.oppose ?? 0}</td>
                <td>{r.abstain ?? 0}</td>
                <td>{pct(r.supportPct)}</td>
                <td>{r.adopted ? t.vote.yes : t.vote.no}</td>
              </>
            )}
            {method === 'graded' && (
              <>
                {labels.map((_, i) => (
                  <td key={i}>{r.levels?.[i] ?? 0}</td>
                ))}
                <td>{pct(r.acceptPct)}</td>
                <td>{r.adopted ? t.vote.yes : t.vote.no}</td>
              </>
            )}
            {hasSpread && (
              <td>
                {r.spread == null ? '–' : r.spread.toFixed(2)}
                {r.divided ? ` (${t.vote.divided})` : ''}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
