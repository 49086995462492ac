/** The report as the begeleidingsgroep will read it, with downloads in the formats they use. */
import { useCallback, useEffect, useState } from 'react';
import type { Report } from '../../shared/report';
import { useI18n } from '../i18n/I18n';
import { NavLink } from '../components/NavLink';
import { TopBar } from '../components/Page';
import { ResultsTable } from '../components/ResultsTable';
import { useErrorText } from '../components/useErrorText';
import { ApiError, api } from '../lib/api';
import { facilitatorKey } from '../lib/storage';
import { EvaluationPanel } from './EvaluationPanel';
import { MissingKey } from './FacilitatorConsole';

export function ReportPage({ sessionId }: { sessionId: string }) {
  const key = facilitatorKey(sessionId);
  return key ? <ReportView sessionId={sessionId} secret={key} /> : <MissingKey />;
}

function ReportView({ sessionId, secret }: { sessionId: string; secret: string }) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setReport(await api.report(sessionId, secret));
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.code : 'internal');
    }
  }, [sessionId, secret]);

  useEffect(() => {
    void load();
  }, [load]);

  const download = async (format: 'json' | 'md') => {
    try {
      await api.downloadReport(sessionId, secret, format, lang);
    } catch (err) {
      setError(err instanceof ApiError ? err.code : 'internal');
    }
  };

  const dateText = report
    ? new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long' }).format(new Date(`${report.session.date}T12:00:00`))
    : '';

  return (
    <div className="page">
      <TopBar className="no-print">
        <NavLink to={`/f/${sessionId}`} className="button button--quiet">
          {t.report.backToConsole}
        </NavLink>
      </TopBar>
      <main className="report">
        {error && (
          <p className="error" role="alert">
            {errorText(error)}
          </p>
        )}
        {!report ? (
          !error && <p>{t.common.loading}</p>
        ) : (
          <>
            <div className="report__actions no-print" role="group" aria-label={t.report.download}>
              <span className="field__label">{t.report.download}:</span>
              <button type="button" className="button" onClick={() => download('md')}>
                {t.report.downloadMd}
              </button>
              <button type="button" className="button" onClick={() => download('json')}>
                {t.report.downloadJson}
              </button>
              <button type="button" className="button button--quiet" onClick={() => void load()}>
                {t.report.refresh}
              </button>
            </div>
            <article>
              <h1>
                {t.report.title}: {report.session.title}
              </h1>
              <dl className="report__meta">
                <dt>{t.report.question}</dt>
                <dd>{report.session.question}</dd>
                <dt>{t.report.date}</dt>
                <dd>{dateText}</dd>
                <dt>{t.report.kind}</dt>
                <dd>{t.home.kinds[report.session.kind]}</dd>
              </dl>

              <h2>{t.report.points}</h2>
              {report.themes.map((theme) => (
                <section key={theme.id} className="report__theme" aria-labelledby={`theme-${theme.id}`}>
                  <h3 id={`theme-${theme.id}`}>{theme.id === '_overig' ? t.report.other : theme.label}</h3>
                  {theme.points.length === 0 ? (
                    <p>{t.report.noPoints}</p>
                  ) : (
                    [...new Set(theme.points.map((p) => p.table))]
                      .sort((a, b) => a - b)
                      .map((table) => (
                        <div key={table}>
                          <h4>{t.common.table(table)}</h4>
                          <ul>
                            {theme.points
                              .filter((p) => p.table === table)
                              .map((p) => (
                                <li key={p.id}>
                                  {p.text}
                                  {p.count > 1 && ` (${p.count}×)`}
                                  {p.cluster && <span className="report__cluster"> · {p.cluster}</span>}
                                  {p.merged.length > 0 && (
                                    <ul>
                                      {p.merged.map((m, i) => (
                                        <li key={i}>{m}</li>
                                      ))}
                                    </ul>
                                  )}
                                </li>
                              ))}
                          </ul>
                        </div>
                      ))
                  )}
                </section>
              ))}

              <h2>{t.report.votes}</h2>
              {report.votes.length === 0 && <p>{t.report.noVotes}</p>}
              {report.votes.map((vote) => (
                <section key={vote.id} className="report__vote">
                  <p>{t.report.method(vote.budget, vote.maxPerItem)}</p>
                  <p>{vote.status === 'open' ? t.facilitator.voteOpen : t.facilitator.voteClosed} {t.vote.turnout(vote.ballots, vote.eligible)}.</p>
                  <ResultsTable rows={vote.results.map((r) => ({ ...r, id: r.itemId }))} className="data-table" />
                </section>
              ))}

              {report.evaluations.map((ev) => (
                <EvaluationPanel key={ev.stepId} summary={ev} />
              ))}

              <h2>{t.report.tables}</h2>
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t.report.tableCol}</th>
                    <th scope="col">{t.report.devices}</th>
                    <th scope="col">{t.report.pointsCol}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.tables.map((row) => (
                    <tr key={row.table}>
                      <td>{row.table}</td>
                      <td>{row.devices}</td>
                      <td>{row.points}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="report__note">{t.report.anonymity}</p>
            </article>
          </>
        )}
      </main>
    </div>
  );
}
