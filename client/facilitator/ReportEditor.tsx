/**
 * The organiser's edits to the report: the organisation and logo for the title page, an
 * introduction and a summary. Saved on the server as the organiser types (a moment after the
 * last key), so closing the laptop loses nothing; the preview below follows without holding up
 * the typing (see ReportPage).
 */
import { useCallback, useEffect, useRef, useState, type ChangeEvent } from 'react';
import { NO_EDITS, REPORT_EDIT_LIMITS, type ReportEdits } from '../../shared/reportEdits';
import { useI18n } from '../i18n/I18n';
import { useErrorText } from '../components/useErrorText';
import { ApiError, api, type SavedEdits } from '../lib/api';

/** The server's limit for a logo (server/domain/reportLogo.ts), checked here before sending. */
const LOGO_BYTES = 512 * 1024;

/** Wait this long after the last change before saving. */
const SAVE_AFTER_MS = 800;

export type SaveState = 'loading' | 'clean' | 'dirty' | 'saving' | 'saved';

export interface ReportEditsState {
  edits: ReportEdits;
  logo: SavedEdits['logo'];
  state: SaveState;
  error: string | null;
  /** Changes the edits from the latest ones (never from a stale copy) and schedules a save. */
  update: (change: (edits: ReportEdits) => ReportEdits) => void;
  setSaved: (saved: SavedEdits) => void;
  setError: (code: string | null) => void;
}

export function useReportEdits(sessionId: string, secret: string): ReportEditsState {
  const [edits, setEdits] = useState<ReportEdits>(NO_EDITS);
  const [logo, setLogo] = useState<SavedEdits['logo']>(null);
  const [state, setState] = useState<SaveState>('loading');
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(edits);
  const version = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let live = true;
    api.reportEdits(sessionId, secret).then(
      (saved) => {
        if (!live) return;
        latest.current = saved.edits;
        setEdits(saved.edits);
        setLogo(saved.logo);
        setState('clean');
      },
      (err: unknown) => live && setError(err instanceof ApiError ? err.code : 'internal'),
    );
    return () => {
      live = false;
    };
  }, [sessionId, secret]);

  const save = useCallback(async () => {
    const sent = version.current;
    setState('saving');
    try {
      const saved = await api.saveReportEdits(sessionId, secret, latest.current);
      setLogo(saved.logo);
      setError(null);
      // Typing went on while this was on its way: that change has its own save coming.
      setState(version.current === sent ? 'saved' : 'dirty');
    } catch (err) {
      setError(err instanceof ApiError ? err.code : 'internal');
      setState('dirty');
    }
  }, [sessionId, secret]);

  const update = useCallback(
    (change: (e: ReportEdits) => ReportEdits) => {
      latest.current = change(latest.current);
      version.current += 1;
      setEdits(latest.current);
      setState('dirty');
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        timer.current = undefined;
        void save();
      }, SAVE_AFTER_MS);
    },
    [save],
  );

  // Leaving the page saves what is still waiting.
  useEffect(
    () => () => {
      if (timer.current !== undefined) {
        clearTimeout(timer.current);
        void api.saveReportEdits(sessionId, secret, latest.current).catch(() => undefined);
      }
    },
    [sessionId, secret],
  );

  const setSaved = useCallback((saved: SavedEdits) => setLogo(saved.logo), []);
  return { edits, logo, state, error, update, setSaved, setError };
}

export function SaveStatus({ state }: { state: SaveState }) {
  const { t } = useI18n();
  const text = state === 'saving' ? t.report.saving : state === 'saved' || state === 'clean' ? t.report.saved : state === 'dirty' ? t.report.unsaved : '';
  return (
    <span className="field__hint" role="status">
      {state === 'clean' ? '' : text}
    </span>
  );
}

interface Props {
  sessionId: string;
  secret: string;
  edit: ReportEditsState;
}

export function ReportEditor({ sessionId, secret, edit }: Props) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { edits, update } = edit;
  const set = (field: 'organisation' | 'introduction' | 'summary') => (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    const value = e.target.value;
    update((x) => ({ ...x, [field]: value }));
  };
  return (
    <section className="report-editor report-panel no-print" aria-labelledby="report-editor">
      <h2 id="report-editor">{t.report.editor}</h2>
      <p className="field__hint">{t.report.editorHint}</p>
      <div className="report-editor__grid">
        <label className="field">
          <span className="field__label">{t.report.organisation}</span>
          <input
            value={edits.organisation}
            maxLength={REPORT_EDIT_LIMITS.organisationLength}
            onChange={set('organisation')}
            aria-describedby="organisation-hint"
            autoComplete="organization"
          />
          <span id="organisation-hint" className="field__hint">
            {t.report.organisationHint}
          </span>
        </label>
        <LogoField sessionId={sessionId} secret={secret} edit={edit} />
      </div>
      <label className="field">
        <span className="field__label">{t.report.introduction}</span>
        <textarea
          rows={5}
          value={edits.introduction}
          maxLength={REPORT_EDIT_LIMITS.textLength}
          onChange={set('introduction')}
          aria-describedby="introduction-hint"
        />
        <span id="introduction-hint" className="field__hint">
          {t.report.introductionHint}
        </span>
      </label>
      <label className="field">
        <span className="field__label">{t.report.summary}</span>
        <textarea rows={4} value={edits.summary} maxLength={REPORT_EDIT_LIMITS.textLength} onChange={set('summary')} aria-describedby="summary-hint" />
        <span id="summary-hint" className="field__hint">
          {t.report.summaryHint}
        </span>
      </label>
      <SaveStatus state={edit.state} />
      {edit.error && (
        <p className="error" role="alert">
          {errorText(edit.error)}
        </p>
      )}
    </section>
  );
}

function LogoField({ sessionId, secret, edit }: Props) {
  const { t } = useI18n();
  const [preview, setPreview] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const logo = edit.logo;
  const bytes = logo?.bytes ?? 0;

  // Without a logo there is nothing to preview.
  if (!logo && preview !== null) setPreview(null);
  // The key goes in a header, so the preview is fetched as a blob and shown from memory.
  useEffect(() => {
    if (!logo) return;
    let url: string | null = null;
    let live = true;
    api.logo(sessionId, secret).then(
      (blob) => {
        if (!live) return;
        url = URL.createObjectURL(blob);
        setPreview(url);
      },
      () => undefined,
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [sessionId, secret, logo, bytes]);

  const run = async (action: () => Promise<SavedEdits>) => {
    setBusy(true);
    try {
      edit.setSaved(await action());
      edit.setError(null);
    } catch (err) {
      edit.setError(err instanceof ApiError ? err.code : 'internal');
    } finally {
      setBusy(false);
    }
  };
  const choose = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    // Said at once, rather than after sending a file the server will refuse anyway.
    if (file.size > LOGO_BYTES || !['image/png', 'image/jpeg'].includes(file.type)) edit.setError('bad_image');
    else void run(() => api.uploadLogo(sessionId, secret, file));
  };

  return (
    <div className="field">
      <span className="field__label" id="logo-label">
        {t.report.logo}
      </span>
      <div className="report-editor__logo">
        {preview && <img src={preview} alt={t.report.logoAlt} />}
        <input ref={input} type="file" accept="image/png,image/jpeg" hidden onChange={choose} aria-labelledby="logo-label" />
        <button type="button" className="button" disabled={busy} aria-describedby="logo-hint" onClick={() => input.current?.click()}>
          {t.report.logoChoose}
        </button>
        {logo && (
          <button type="button" className="button button--quiet" disabled={busy} onClick={() => void run(() => api.deleteLogo(sessionId, secret))}>
            {t.report.logoRemove}
          </button>
        )}
      </div>
      <span id="logo-hint" className="field__hint">
        {t.report.logoHint}
      </span>
    </div>
  );
}
