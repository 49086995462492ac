/**
 * Per table: devices connected, points, ballots, and the table's calls to the front. Devices
 * appear only by the short code on their own screen, so one can be moved without anyone
 * knowing whose it is.
 */
import { useState } from 'react';
import { Events, LIMITS, type TableOverview } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { useErrorText } from '../components/useErrorText';
import type { EmitResult, SessionConnection } from '../lib/useSessionSocket';

interface Props {
  tables: TableOverview[] | null;
  voting: boolean;
  emit: SessionConnection['emit'];
}

export function TablesOverview({ tables, voting, emit }: Props) {
  const { t } = useI18n();
  const errorText = useErrorText();
  // A refusal shows at the tile it concerns, where the facilitator is looking.
  const [errors, setErrors] = useState<Record<number, string>>({});
  const run = async (table: number, fn: () => Promise<EmitResult<unknown>>) => {
    const res = await fn();
    setErrors((all) => {
      const { [table]: _old, ...rest } = all;
      return res.ok ? rest : { ...rest, [table]: errorText(res.error.code) };
    });
  };
  return (
    <section className="card" aria-labelledby="tables-title">
      <h2 id="tables-title">{t.facilitator.tablesTitle}</h2>
      {!tables ? (
        <p>{t.common.loading}</p>
      ) : (
        <ul className="table-grid">
          {tables.map((row) => (
            <li
              key={row.table}
              className={`table-tile${row.help ? ' table-tile--help' : ''}${row.ready ? ' table-tile--ready' : ''}`}
              aria-label={t.common.table(row.table)}
            >
              <h3>{t.common.table(row.table)}</h3>
              {row.help && (
                <p className="table-tile__signal table-tile__signal--help">
                  {t.signals.helpBadge}
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => run(row.table, () => emit(Events.tableClearSignal, { table: row.table, signal: 'help' }))}
                  >
                    {t.signals.clear}
                  </button>
                </p>
              )}
              {row.ready && (
                <p className="table-tile__signal table-tile__signal--ready">
                  {t.signals.readyBadge}
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => run(row.table, () => emit(Events.tableClearSignal, { table: row.table, signal: 'ready' }))}
                  >
                    {t.signals.clear}
                  </button>
                </p>
              )}
              {errors[row.table] && (
                <p className="error" role="alert">
                  {errors[row.table]}
                </p>
              )}
              <p className={row.connected > 0 ? 'table-tile__live' : undefined}>{t.facilitator.connected(row.connected)}</p>
              <p>{t.facilitator.joined(row.joined)}</p>
              <p className="table-tile__points">{t.facilitator.points(row.points)}</p>
              {voting && <p>{t.device.voted(row.voted, row.seats > 0 ? row.seats : row.joined)}</p>}
              <details className="table-tile__devices">
                <summary>{row.seats > 0 ? t.seats.summaryOn(row.seats) : t.seats.summaryOff}</summary>
                <label className="table-tile__seats">
                  <span>{t.seats.label}</span>
                  <select
                    value={row.seats}
                    disabled={voting}
                    aria-describedby={voting ? `seats-locked-${row.table}` : undefined}
                    onChange={(e) => run(row.table, () => emit(Events.tableSeats, { table: row.table, seats: Number(e.target.value) }))}
                  >
                    <option value={0}>{t.seats.off}</option>
                    {Array.from({ length: LIMITS.seatsPerTable - 1 }, (_, i) => i + 2).map((n) => (
                      <option key={n} value={n}>
                        {t.seats.people(n)}
                      </option>
                    ))}
                  </select>
                </label>
                <p className="field__hint" id={`seats-locked-${row.table}`}>
                  {voting ? t.seats.locked : t.seats.hint}
                </p>
              </details>
              {row.devices.length > 0 && (
                <details className="table-tile__devices">
                  <summary>{t.device.move}</summary>
                  <ul>
                    {row.devices.map((d) => (
                      <li key={d.label}>
                        <label>
                          <span className={d.connected ? 'device-code device-code--live' : 'device-code'}>{d.label}</span>
                          <span className="sr-only">{t.device.moveTo(d.label)}</span>
                          <select
                            value={row.table}
                            onChange={(e) => run(row.table, () => emit(Events.deviceMove, { label: d.label, table: Number(e.target.value) }))}
                          >
                            {tables.map((other) => (
                              <option key={other.table} value={other.table}>
                                {t.common.table(other.table)}
                              </option>
                            ))}
                          </select>
                        </label>
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
