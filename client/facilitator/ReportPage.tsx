/**
 * The report as the begeleidingsgroep will read it, with downloads in the formats they use.
 * While the session runs the page refreshes itself, so the organiser sees the report grow.
 * Everything typed by people is rendered as React text, never as HTML.
 */
import { useCallback, useEffect, useState } from 'react';
import { MIN_VOTERS_SHOWN, REPORT_NOTE_LENGTH, REPORT_NOTES_MAX } from '../../shared/protocol';
import { REPORT_FORMATS, type Report, type ReportFormat, type ReportRound, type ReportTimelineEntry, type ReportVote } from '../../shared/report';
import { useI18n } from '../i18n/I18n';
import type { Messages } from '../i18n/nl';
import { NavLink } from '../components/NavLink';
import { TopBar } from '../components/Page';
import { useErrorText } from '../components/useErrorText';
import { ApiError, api } from '../lib/api';
import { facilitatorKey } from '../lib/storage';
import { EvaluationPanel } from './EvaluationPanel';
import { MissingKey } from './FacilitatorConsole';

/** How often the preview is fetched again while the session runs. */
const REFRESH_MS = 5000;
const OTHER_THEME = '_overig';

export function ReportPage({ sessionId }: { sessionId: string }) {
  const key = facilitatorKey(sessionId);
  return key ? <ReportView sessionId={sessionId} secret={key} /> : <MissingKey />;
}

function ReportView({ sessionId, secret }: { sessionId: string; secret: string }) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const [report, setReport] = useState<Report | null>(null);
  const [loadedAt, setLoadedAt] = useState<Date | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setReport(await api.report(sessionId, secret));
      setLoadedAt(new Date());
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.code : 'internal');
    }
  }, [sessionId, secret]);

  useEffect(() => {
    void load();
  }, [load]);

  // A finished session's report no longer changes; until then, keep it fresh while visible.
  const live = report !== null && report.session.status !== 'ended';
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [live, load]);

  const download = async (format: ReportFormat) => {
    try {
      await api.downloadReport(sessionId, secret, format, lang);
    } catch (err) {
      setError(err instanceof ApiError ? err.code : 'internal');
    }
  };

  const locale = lang === 'nl' ? 'nl-NL' : 'en-GB';
  const dateText = report ? new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(`${report.session.date}T12:00:00`)) : '';

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
            <section className="report__actions no-print" aria-labelledby="report-downloads">
              <h2 id="report-downloads" className="field__label">
                {t.report.downloads}
              </h2>
              <ul className="theme-list">
                {REPORT_FORMATS.map((format) => (
                  <li key={format} className="theme-list__row">
                    <button type="button" className="button" aria-describedby={`format-${format}`} onClick={() => void download(format)}>
                      {t.report.formats[format]}
                    </button>
                    <span id={`format-${format}`} className="field__hint">
                      {t.report.formatHints[format]}
                    </span>
                  </li>
                ))}
              </ul>
              <button type="button" className="button button--quiet" onClick={() => void load()}>
                {t.report.refresh}
              </button>
              {loadedAt && <span className="field__hint">{t.report.updatedAt(loadedAt.toLocaleTimeString(locale))}</span>}
            </section>
            <article>
              <h1>
                {t.report.title}: {report.session.title}
              </h1>
              {t.report.preview[report.session.status] && <p className="notice-box">{t.report.preview[report.session.status]}</p>}
              <dl className="report__meta">
                <dt>{t.report.question}</dt>
                <dd>{report.session.question}</dd>
                <dt>{t.report.date}</dt>
                <dd>{dateText}</dd>
                <dt>{t.report.place}</dt>
                <dd>{report.session.place ?? t.report.notStated}</dd>
                <dt>{t.report.kind}</dt>
                <dd>{t.home.kinds[report.session.kind]}</dd>
                <dt>{t.report.participation}</dt>
                <dd>{report.session.participation ? t.participation[report.session.participation] : t.report.notStated}</dd>
                <dt>{t.report.decides}</dt>
                <dd>{report.session.decides ?? t.report.notStated}</dd>
              </dl>

              <h2>{t.report.points}</h2>
              {report.rounds.length === 0 && <p>{t.report.noPointsInRound}</p>}
              {report.rounds.map((round) => (
                <RoundSection key={round.id ?? 'none'} report={report} round={round} />
              ))}

              {report.plenary && <PlenarySection plenary={report.plenary} />}

              <h2>{t.report.votes}</h2>
              {report.votes.length === 0 && <p>{t.report.noVotes}</p>}
              {report.votes.map((vote, i) => (
                <VoteSection key={vote.id} report={report} vote={vote} index={i + 1} />
              ))}

              {report.recommendations.length > 0 && <Recommendations report={report} />}

              {report.evaluations.map((ev) => (
                <EvaluationPanel key={ev.stepId} summary={ev} />
              ))}

              <NotesEditor saved={report.notes} onSave={(notes) => api.saveNotes(sessionId, secret, notes)} onSaved={load} />

              <Process report={report} />
            </article>
          </>
        )}
      </main>
    </div>
  );
}

/** The plenary board as the facilitator left it: per theme, each point with the tables it came from. */
function PlenarySection({ plenary }: { plenary: NonNullable<Report['plenary']> }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="report-plenary">
      <h2 id="report-plenary">{t.plenary.title}</h2>
      {plenary.hidden > 0 && <p className="field__hint">{t.report.hidden(plenary.hidden)}</p>}
      {plenary.themes.map((theme) => (
        <section key={theme.id} className="report__theme" aria-labelledby={`plenary-${theme.id}`}>
          <h3 id={`plenary-${theme.id}`}>{theme.label}</h3>
          <ul>
            {theme.points.map((p, i) => (
              <li key={i}>
                {p.text}
                <span className="report__cluster">
                  {' '}
                  ({[p.tables.length > 0 ? t.plenary.fromTables(p.tables) : null, p.count > 1 ? t.report.times(p.count) : null].filter(Boolean).join(' · ')})
                </span>
                {p.merged.length > 0 && (
                  <ul>
                    {p.merged.map((m, j) => (
                      <li key={j}>{m}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

function themeLabel(report: Report, id: string | null, t: Messages): string {
  if (id === null) return '';
  if (id === OTHER_THEME) return t.report.other;
  return report.session.themes.find((th) => th.id === id)?.label ?? t.report.other;
}

function RoundSection({ report, round }: { report: Report; round: ReportRound }) {
  const { t } = useI18n();
  const headingId = `round-${round.id ?? 'none'}`;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{t.report.round(round.number, round.title)}</h3>
      {round.question && (
        <p>
          <strong>{t.report.roundQuestion}:</strong> {round.question}
        </p>
      )}
      <p>{round.points === 0 ? t.report.noPointsInRound : t.report.roundPoints(round.points)}</p>
      {round.hidden > 0 && <p className="field__hint">{t.report.hidden(round.hidden)}</p>}
      {round.points > 0 &&
        round.themes.map((theme) => {
          const id = `theme-${round.id ?? 'none'}-${theme.id}`;
          return (
            <section key={theme.id} className="report__theme" aria-labelledby={id}>
              <h4 id={id}>{theme.id === OTHER_THEME ? t.report.other : theme.label}</h4>
              {theme.points.length === 0 ? (
                <p>{t.report.noPoints}</p>
              ) : (
                [...new Set(theme.points.map((p) => p.table))].map((table) => {
                  const points = theme.points.filter((p) => p.table === table);
                  return [...new Set(points.map((p) => p.cluster))].map((cluster) => (
                    <div key={`${table}-${cluster ?? ''}`}>
                      <p className="field__label">
                        {t.common.table(table)}
                        {cluster !== null && <span className="report__cluster"> · {t.report.cluster(cluster)}</span>}
                      </p>
                      <ul>
                        {points
                          .filter((p) => p.cluster === cluster)
                          .map((p) => (
                            <li key={p.id}>
                              {p.text}
                              {p.count > 1 && <span className="report__cluster"> ({t.report.times(p.count)})</span>}
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
                  ));
                })
              )}
            </section>
          );
        })}
      {round.tops.length > 0 && (
        <>
          <h4>{t.report.tops}</h4>
          {round.tops.map((top) => (
            <div key={top.table}>
              <p className="field__label">{t.common.table(top.table)}</p>
              {top.points.length === 0 ? (
                <p className="field__hint">{t.report.noTop}</p>
              ) : (
                <ol>
                  {top.points.map((p) => (
                    <li key={p.id}>
                      {p.text} <span className="report__cluster">({themeLabel(report, p.theme, t)})</span>
                    </li>
                  ))}
                </ol>
              )}
            </div>
          ))}
        </>
      )}
    </section>
  );
}

function rulesText(vote: ReportVote, t: Messages): string {
  const { budget = 0, maxPerItem, threshold = 50 } = vote.rules;
  switch (vote.method) {
    case 'dots':
      return t.report.rules.dots(budget, maxPerItem ?? budget);
    case 'ranking':
      return t.report.rules.ranking;
    case 'points':
      return t.report.rules.points(budget);
    case 'recommendations':
      return t.report.rules.recommendations(threshold);
  }
}

const pct = (n: number | null | undefined, locale: string) =>
  n === null || n === undefined ? '–' : `${n.toLocaleString(locale, { maximumFractionDigits: 1 })}%`;

function VoteSection({ report, vote, index }: { report: Report; vote: ReportVote; index: number }) {
  const { t, lang } = useI18n();
  const locale = lang === 'nl' ? 'nl-NL' : 'en-GB';
  const headingId = `vote-${vote.id}`;
  const recommendations = vote.method === 'recommendations';
  const columns: string[] = recommendations
    ? [t.report.support, t.report.oppose, t.report.abstain, t.report.supportPct, t.report.adopted]
    : vote.method === 'ranking'
      ? [t.report.theme, t.report.score.ranking, t.report.firsts]
      : [t.report.theme, t.report.score[vote.method]];
  const cells = (r: ReportVote['results'][number]): (string | number)[] =>
    recommendations
      ? [r.support ?? 0, r.oppose ?? 0, r.abstain ?? 0, pct(r.supportPct, locale), r.adopted ? t.report.yes : t.report.no]
      : vote.method === 'ranking'
        ? [themeLabel(report, r.theme, t), r.borda ?? r.score, r.firsts ?? 0]
        : [themeLabel(report, r.theme, t), vote.method === 'dots' ? (r.total ?? r.score) : (r.points ?? r.score)];
  /** One table of results, with the method's own columns. */
  const resultTable = (rows: ReportVote['results']) => (
    <table className="data-table">
      <thead>
        <tr>
          <th scope="col">{t.report.rank}</th>
          <th scope="col">{recommendations ? t.report.recommendation : t.vote.point}</th>
          <th scope="col">{t.report.tableCol}</th>
          {columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.itemId}>
            <td>
              {r.rank}
              {r.tied ? ` (${t.vote.tie})` : ''}
            </td>
            <td>{r.text}</td>
            <td>{r.table ?? '–'}</td>
            {cells(r).map((c, i) => (
              <td key={i}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <section className="report__vote" aria-labelledby={headingId}>
      <h3 id={headingId}>{t.report.vote(index, t.report.methods[vote.method])}</h3>
      <p>
        {rulesText(vote, t)}
        {vote.round !== null && ` ${t.report.inRound(vote.round)}`}
      </p>
      <p>
        {vote.status === 'open' ? t.facilitator.voteOpen : t.facilitator.voteClosed} {t.vote.turnout(vote.ballots, vote.eligible)}
        {vote.turnout !== null && ` (${vote.turnout}%)`}.
      </p>
      {vote.source === 'table' ? (
        vote.tables.map((table) => (
          <div key={table.table}>
            <p className="field__label">{t.report.tableBallots(table.table, table.ballots)}</p>
            {table.withheld ? (
              <p className="field__hint">{t.report.withheld(MIN_VOTERS_SHOWN)}</p>
            ) : (
              resultTable(vote.results.filter((r) => r.table === table.table))
            )}
          </div>
        ))
      ) : (
        resultTable(vote.results)
      )}
    </section>
  );
}

function Recommendations({ report }: { report: Report }) {
  const { t, lang } = useI18n();
  const locale = lang === 'nl' ? 'nl-NL' : 'en-GB';
  return (
    <section aria-labelledby="report-recommendations">
      <h2 id="report-recommendations">{t.report.recommendations}</h2>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t.report.recommendation}</th>
            <th scope="col">{t.report.supportPct}</th>
            <th scope="col">{t.report.threshold}</th>
            <th scope="col">{t.report.adopted}</th>
          </tr>
        </thead>
        <tbody>
          {report.recommendations.map((r) => (
            <tr key={`${r.voteId}-${r.itemId}`}>
              <td>{r.text}</td>
              <td>{pct(r.supportPct, locale)}</td>
              <td>{pct(r.threshold, locale)}</td>
              <td>{r.adopted ? t.report.yes : t.report.no}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Tips and actions: a short list the organiser edits here; saving replaces the stored list. */
function NotesEditor({ saved, onSave, onSaved }: { saved: string[]; onSave: (notes: string[]) => Promise<string[]>; onSaved: () => Promise<void> }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [drafts, setDrafts] = useState<string[]>(saved);
  const [state, setState] = useState<'clean' | 'dirty' | 'saving' | 'saved'>('clean');
  const [error, setError] = useState<string | null>(null);
  // Take in what is stored (after a save, or another organiser's), but never over unsaved typing.
  const savedText = JSON.stringify(saved);
  useEffect(() => {
    if (state === 'clean' || state === 'saved') setDrafts(JSON.parse(savedText) as string[]);
  }, [savedText]); // only a change in what is stored resets the drafts, not a change of state
  const edit = (next: string[]) => {
    setDrafts(next);
    setState('dirty');
  };
  const save = async () => {
    setState('saving');
    try {
      await onSave(drafts.map((d) => d.trim()).filter((d) => d !== ''));
      setError(null);
      setState('saved');
      await onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err.code : 'internal');
      setState('dirty');
    }
  };
  return (
    <section aria-labelledby="report-notes">
      <h2 id="report-notes">{t.report.notes}</h2>
      <p className="field__hint no-print">{t.report.notesHint}</p>
      <ul className="theme-list">
        {drafts.map((note, i) => (
          <li key={i} className="theme-list__row">
            <input
              aria-label={t.report.noteLabel(i + 1)}
              value={note}
              maxLength={REPORT_NOTE_LENGTH}
              onChange={(e) => edit(drafts.map((d, j) => (j === i ? e.target.value : d)))}
            />
            <button type="button" className="button button--quiet no-print" aria-label={t.report.removeNote(i + 1)} onClick={() => edit(drafts.filter((_, j) => j !== i))}>
              ✕
            </button>
          </li>
        ))}
      </ul>
      <div className="report__actions no-print">
        {drafts.length < REPORT_NOTES_MAX && (
          <button type="button" className="button" onClick={() => edit([...drafts, ''])}>
            {t.report.addNote}
          </button>
        )}
        <button type="button" className="button button--primary" disabled={state === 'saving' || state === 'clean'} onClick={() => void save()}>
          {state === 'saving' ? t.report.saving : t.report.saveNotes}
        </button>
        <span className="field__hint" role="status">
          {state === 'saved' ? t.report.saved : state === 'dirty' ? t.report.unsaved : ''}
        </span>
      </div>
      {error && (
        <p className="error" role="alert">
          {errorText(error)}
        </p>
      )}
    </section>
  );
}

function eventText(e: ReportTimelineEntry, t: Messages): string {
  switch (e.event) {
    case 'created':
      return t.report.events.created;
    case 'step': {
      const type = e.stepType ? t.steps[e.stepType] : '';
      const step = e.stepTitle ? `${e.stepTitle} (${type})` : type;
      return e.round === null ? step : t.report.roundStep(e.round, step);
    }
    case 'ended':
      return t.report.events.ended;
    case 'voteOpened':
      return `${t.report.events.voteOpened}${e.method ? ` (${t.report.methods[e.method]})` : ''}`;
    case 'voteClosed':
      return t.report.events.voteClosed;
    case 'timerExtended':
      return t.report.events.timerExtended(Math.round((e.seconds ?? 0) / 60));
    case 'agendaEdited':
      return t.report.events.agendaEdited;
    case 'deviceMoved':
      return t.report.events.deviceMoved(e.toTable ?? 0);
  }
}

function Process({ report }: { report: Report }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="report-process">
      <h2 id="report-process">{t.report.process}</h2>
      <h3>{t.report.timeline}</h3>
      {report.process.timeline.length === 0 ? (
        <p>{t.report.noTimeline}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t.report.time}</th>
              <th scope="col">{t.report.what}</th>
              <th scope="col">{t.report.duration}</th>
            </tr>
          </thead>
          <tbody>
            {report.process.timeline.map((e, i) => (
              <tr key={i}>
                <td>{e.time}</td>
                <td>{eventText(e, t)}</td>
                <td>{e.minutes === null ? '' : t.report.minutes(e.minutes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t.report.tables}</h3>
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
      <h3>{t.report.methodsUsed}</h3>
      {report.process.methods.length === 0 ? (
        <p>{t.report.noVotes}</p>
      ) : (
        <ul>
          {report.process.methods.map((m) => (
            <li key={m}>{t.report.methods[m]}</li>
          ))}
        </ul>
      )}
      <h3>{t.report.anonymityTitle}</h3>
      <p className="report__note">{t.report.anonymity}</p>
    </section>
  );
}
