/** Per table: devices connected and joined, and points so far. Counts only, never who. */
import type { TableOverview } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';

export function TablesOverview({ tables }: { tables: TableOverview[] | null }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="tables-title">
      <h2 id="tables-title">{t.facilitator.tablesTitle}</h2>
      {!tables ? (
        <p>{t.common.loading}</p>
      ) : (
        <ul className="table-grid">
          {tables.map((row) => (
            <li key={row.table} className="table-tile" aria-label={t.common.table(row.table)}>
              <h3>{t.common.table(row.table)}</h3>
              <p className={row.connected > 0 ? 'table-tile__live' : undefined}>{t.facilitator.connected(row.connected)}</p>
              <p>{t.facilitator.joined(row.joined)}</p>
              <p className="table-tile__points">{t.facilitator.points(row.points)}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
