/**
 * The report as the begeleidingsgroep will read it: edited here (introduction, summary, points,
 * themes, title page), then downloaded in the formats they use, in full or as the public
 * version. While the session runs the page refreshes itself, so the organiser sees the report
 * grow. Everything typed by people is rendered as React text, never as HTML.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { REPORT_NOTE_LENGTH, REPORT_NOTES_MAX } from '../../shared/protocol';
import { REPORT_FORMATS, ReportVersion, type Report, type ReportFormat } from '../../shared/report';
import { reportOutline } from '../../shared/reportOutline';
import { REPORT_TEXT } from '../../shared/reportText';
import { useI18n } from '../i18n/I18n';
import { NavLink } from '../components/NavLink';
import { TopBar } from '../components/Page';
import { useErrorText } from '../components/useErrorText';
import { ApiError, api } from '../lib/api';
import { facilitatorKey } from '../lib/storage';
import { MissingKey } from './FacilitatorConsole';
import { OmittedPoints, useOutlineEditing } from './PointEditing';
import { ReportEditor, useReportEdits } from './ReportEditor';
import { ReportOutline } from './ReportOutline';

/** How often the preview is fetched again while the session runs. */
const REFRESH_MS = 5000;

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

  const load = useCallback(
    (): Promise<void> =>
      api.report(sessionId, secret).then(
        (fetched) => {
          setReport(fetched);
          setLoadedAt(new Date());
          setError(null);
        },
        (err: unknown) => setError(err instanceof ApiError ? err.code : 'internal'),
      ),
    [sessionId, secret],
  );

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

  const edit = useReportEdits(sessionId, secret);
  const [version, setVersion] = useState<ReportVersion>('full');
  const [editingPoints, setEditingPoints] = useState(false);
  // The preview follows the edits when the browser has time: typing never waits for 2,000 points.
  const edits = useDeferredValue(edit.edits);
  const outline = useMemo(() => (report ? reportOutline({ ...report, edits }, lang, { version }) : null), [report, edits, lang, version]);
  const editing = useOutlineEditing(report, edits, edit.update, editingPoints && version === 'full');
  const reportText = REPORT_TEXT[lang];
  const notes = useMemo(
    () => ({
      heading: reportText.notesHeading,
      node: <NotesEditor key="notes" saved={report?.notes ?? []} onSave={(n) => api.saveNotes(sessionId, secret, n)} onSaved={load} />,
    }),
    [reportText, report?.notes, sessionId, secret, load],
  );

  const download = async (format: ReportFormat) => {
    try {
      await api.downloadReport(sessionId, secret, format, lang, version);
    } catch (err) {
      setError(err instanceof ApiError ? err.code : 'internal');
    }
  };

  const locale = lang === 'nl' ? 'nl-NL' : 'en-GB';

  return (
    <div className="page">
      <TopBar className="no-print">
        <NavLink to={`/f/${sessionId}`} className="button button--quiet">
          {t.report.backToConsole}
        </NavLink>
      </TopBar>
      {/* Editor and downloads beside the report on a laptop, so typing shows in the report at once. */}
      <main className="report-page">
        {error && (
          <p className="error report-page__error" role="alert">
            {errorText(error)}
          </p>
        )}
        {!report || !outline ? (
          !error && <p className="report-page__loading">{t.common.loading}</p>
        ) : (
          <>
            <div className="report-page__side no-print">
              <ReportEditor sessionId={sessionId} secret={secret} edit={edit} />
              {version === 'full' && (
                <div className="report-panel">
                  <label className="choice">
                    <input type="checkbox" checked={editingPoints} onChange={(e) => setEditingPoints(e.target.checked)} aria-describedby="edit-points-hint" />
                    <span>{t.report.editPoints}</span>
                  </label>
                  <p id="edit-points-hint" className="field__hint">
                    {t.report.editPointsHint}
                  </p>
                  {editingPoints && <OmittedPoints report={report} edits={edits} update={edit.update} />}
                </div>
              )}
              <section className="report-downloads report-panel" aria-labelledby="report-downloads">
                <h2 id="report-downloads">{t.report.downloads}</h2>
                <fieldset className="report__versions">
                  <legend className="field__label">{t.report.version}</legend>
                  {ReportVersion.options.map((v) => (
                    <label key={v} className="choice report__version">
                      <input
                        type="radio"
                        name="report-version"
                        value={v}
                        checked={version === v}
                        onChange={() => setVersion(v)}
                        aria-describedby={`version-${v}`}
                      />
                      <span>
                        {t.report.versions[v]}
                        <span id={`version-${v}`} className="field__hint">
                          {t.report.versionHints[v]}
                        </span>
                      </span>
                    </label>
                  ))}
                </fieldset>
                <ul className="report__formats">
                  {REPORT_FORMATS.map((format) => (
                    <li key={format}>
                      <button type="button" className="button" aria-describedby={`format-${format}`} onClick={() => void download(format)}>
                        {t.report.formats[format]}
                      </button>
                      <span id={`format-${format}`} className="field__hint">
                        {t.report.formatHints[format]}
                      </span>
                    </li>
                  ))}
                </ul>
                <div className="report__refresh">
                  <button type="button" className="button button--quiet" onClick={() => void load()}>
                    {t.report.refresh}
                  </button>
                  {loadedAt && <span className="field__hint">{t.report.updatedAt(loadedAt.toLocaleTimeString(locale))}</span>}
                </div>
              </section>
            </div>
            <article className="report report__document">
              {/* The same outline and words as the files; the tips and actions are edited in place. */}
              <ReportOutline outline={outline} replace={notes} editing={editing} />
            </article>
          </>
        )}
      </main>
    </div>
  );
}

function NotesEditor({ saved, onSave, onSaved }: { saved: string[]; onSave: (notes: string[]) => Promise<string[]>; onSaved: () => Promise<void> }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [drafts, setDrafts] = useState<string[]>(saved);
  const [state, setState] = useState<'clean' | 'dirty' | 'saving' | 'saved'>('clean');
  const [error, setError] = useState<string | null>(null);
  // Take in what is stored (after a save, or another organiser's), but never over unsaved typing.
  // Only a change in what is stored resets the drafts, not a change of state.
  const savedText = JSON.stringify(saved);
  const [known, setKnown] = useState(savedText);
  if (known !== savedText) {
    setKnown(savedText);
    if (state === 'clean' || state === 'saved') setDrafts(saved);
  }
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
    <div className="report-notes">
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
            <button
              type="button"
              className="button button--quiet no-print"
              aria-label={t.report.removeNote(i + 1)}
              onClick={() => edit(drafts.filter((_, j) => j !== i))}
            >
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
    </div>
  );
}
