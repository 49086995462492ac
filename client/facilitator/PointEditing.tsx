/**
 * Editing the main text in place: each point gets one "edit" button that opens its controls
 * (reword, leave out, move), each theme heading a name field and move buttons; the points left
 * out are listed apart, to put back. Only one point is open at a time, so a list of 2,000
 * points stays a list of 2,000 buttons.
 */
import { useMemo, useState } from 'react';
import type { Report } from '../../shared/report';
import { REPORT_EDIT_LIMITS, type ReportEdits } from '../../shared/reportEdits';
import { mainThemes, reportThemes, type MainTheme } from '../../shared/reportPoints';
import { REPORT_TEXT } from '../../shared/reportText';
import { useI18n } from '../i18n/I18n';
import type { OutlineEditing } from './ReportOutline';

type Update = (change: (edits: ReportEdits) => ReportEdits) => void;

/** Moves `key` one place up or down in `keys`. */
function moved(keys: string[], key: string, by: -1 | 1): string[] {
  const i = keys.indexOf(key);
  const j = i + by;
  if (i < 0 || j < 0 || j >= keys.length) return keys;
  const out = [...keys];
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
}

function withPointEdit(edits: ReportEdits, key: string, change: { text?: string | null; omit?: boolean }): ReportEdits {
  const current = { ...edits.points[key] };
  if (change.text !== undefined) {
    if (change.text === null) delete current.text;
    else current.text = change.text;
  }
  if (change.omit !== undefined) {
    if (change.omit) current.omit = true;
    else delete current.omit;
  }
  const points = { ...edits.points };
  if (current.text === undefined && current.omit === undefined) delete points[key];
  else points[key] = current;
  return { ...edits, points };
}

/** `edits` is the (deferred) copy the preview shows; `update` always works on the latest. */
export function useOutlineEditing(report: Report | null, edits: ReportEdits, update: Update, enabled: boolean): OutlineEditing | undefined {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState<string | null>(null);
  const other = REPORT_TEXT[lang].otherTheme;
  const main = useMemo(() => (report && enabled ? mainThemes({ ...report, edits }, other) : []), [report, edits, other, enabled]);

  return useMemo(() => {
    if (!enabled || !report) return undefined;
    const themeOf = new Map<string, MainTheme>(main.flatMap((th) => th.points.map((p) => [p.key, th] as const)));
    const themeIds = reportThemes({ ...report, edits }, other).map((th) => th.id);

    const movePoint = (key: string, by: -1 | 1) => {
      const theme = themeOf.get(key);
      if (!theme) return;
      const keys = theme.points.map((p) => p.key);
      update((e) => ({ ...e, pointOrder: { ...e.pointOrder, [theme.id]: moved(keys, key, by) } }));
    };
    const moveTheme = (id: string, by: -1 | 1) => update((e) => ({ ...e, themeOrder: moved(themeIds, id, by) }));

    return {
      item: (key: string, text: string) => {
        const theme = themeOf.get(key);
        const point = theme?.points.find((p) => p.key === key);
        if (!theme || !point) return null;
        if (open !== key) {
          return (
            <button
              type="button"
              className="button button--quiet button--small report-edit__open"
              aria-label={t.report.editPoint(text)}
              onClick={() => setOpen(key)}
            >
              ✎
            </button>
          );
        }
        const shown = theme.points.filter((p) => !p.omitted);
        const index = shown.findIndex((p) => p.key === key);
        return (
          <div className="report-edit" role="group" aria-label={t.report.editPoint(text)}>
            <label className="field">
              <span className="field__label">{t.report.pointText}</span>
              <textarea
                rows={2}
                defaultValue={point.text}
                maxLength={REPORT_EDIT_LIMITS.pointTextLength}
                onChange={(e) => {
                  const value = e.target.value.trim();
                  update((x) => withPointEdit(x, key, { text: value === '' || value === point.original ? null : value }));
                }}
              />
            </label>
            {point.reworded && <p className="field__hint">{t.report.original(point.original)}</p>}
            <div className="report-edit__actions">
              {point.reworded && (
                <button type="button" className="button button--quiet" onClick={() => update((x) => withPointEdit(x, key, { text: null }))}>
                  {t.report.restoreText}
                </button>
              )}
              <button type="button" className="button" disabled={index <= 0} onClick={() => movePoint(key, -1)}>
                {t.report.moveUp}
              </button>
              <button type="button" className="button" disabled={index < 0 || index >= shown.length - 1} onClick={() => movePoint(key, 1)}>
                {t.report.moveDown}
              </button>
              <button
                type="button"
                className="button"
                onClick={() => {
                  update((x) => withPointEdit(x, key, { omit: true }));
                  setOpen(null);
                }}
              >
                {t.report.omit}
              </button>
              <button type="button" className="button button--primary" onClick={() => setOpen(null)}>
                {t.report.close}
              </button>
            </div>
          </div>
        );
      },
      heading: (id: string) => {
        const theme = main.find((th) => th.id === id);
        if (!theme) return null;
        const index = themeIds.indexOf(id);
        return (
          <div className="report-edit report-edit--theme">
            <label className="field">
              <span className="field__label">{t.report.themeName(theme.original)}</span>
              <input
                defaultValue={theme.label}
                maxLength={REPORT_EDIT_LIMITS.themeLabelLength}
                onChange={(e) => {
                  const value = e.target.value.trim();
                  update((x) => {
                    const themeLabels = { ...x.themeLabels };
                    if (value === '' || value === theme.original) delete themeLabels[id];
                    else themeLabels[id] = value;
                    return { ...x, themeLabels };
                  });
                }}
              />
            </label>
            <div className="report-edit__actions">
              <button type="button" className="button" disabled={index <= 0} onClick={() => moveTheme(id, -1)}>
                {t.report.themeUp(theme.label)}
              </button>
              <button type="button" className="button" disabled={index >= themeIds.length - 1} onClick={() => moveTheme(id, 1)}>
                {t.report.themeDown(theme.label)}
              </button>
            </div>
          </div>
        );
      },
    };
  }, [enabled, main, report, edits, other, open, update, t]);
}

/** The points left out of the main text, to put back (a theme left empty has no heading to hold them). */
export function OmittedPoints({ report, edits, update }: { report: Report; edits: ReportEdits; update: Update }) {
  const { t, lang } = useI18n();
  const other = REPORT_TEXT[lang].otherTheme;
  const omitted = useMemo(
    () => mainThemes({ ...report, edits }, other).flatMap((th) => th.points.filter((p) => p.omitted).map((p) => ({ ...p, theme: th.label }))),
    [report, edits, other],
  );
  if (omitted.length === 0) return null;
  return (
    <details className="report-edit__omitted no-print">
      <summary>{t.report.omittedPoints(omitted.length)}</summary>
      <ul className="theme-list">
        {omitted.map((p) => (
          <li key={p.key} className="theme-list__row">
            <span>
              {p.text} <span className="field__hint">({p.theme})</span>
            </span>
            <button
              type="button"
              className="button"
              aria-label={t.report.restorePoint(p.text)}
              onClick={() => update((x) => withPointEdit(x, p.key, { omit: false }))}
            >
              {t.report.restore}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
