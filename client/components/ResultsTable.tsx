/** A vote's results as a table: the report shows it, and it backs the chart for screen readers. */
import { useI18n } from '../i18n/I18n';

export interface ResultRow {
  id: string;
  rank: number;
  tied: boolean;
  text: string;
  table: number;
  total: number;
}

export function ResultsTable({ rows, className }: { rows: ResultRow[]; className?: string }) {
  const { t } = useI18n();
  return (
    <table className={className}>
      <thead>
        <tr>
          <th scope="col">{t.report.rank}</th>
          <th scope="col">{t.vote.point}</th>
          <th scope="col">{t.report.tableCol}</th>
          <th scope="col">{t.vote.dots}</th>
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
            <td>{r.table}</td>
            <td>{r.total}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
