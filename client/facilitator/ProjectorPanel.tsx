/**
 * The wall, as the facilitator steers it: a small copy of exactly what the projector shows (the
 * same drawing, so the same pages), what is on it, and the controls — spotlight, pages, the
 * reveal of a result, the join card and the colours.
 */
import { useCallback, useState } from 'react';
import { PROJECTOR_PAGE_SECONDS, Events, type ProjectorSetPayload, type Spotlight } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { useErrorText } from '../components/useErrorText';
import type { SessionConnection } from '../lib/useSessionSocket';
import { ProjectorScreen, type WallData } from '../projector/ProjectorScreen';
import { stageOf, type Stage } from '../projector/stage';

const encode = (s: Spotlight | null) => (s === null ? 'none' : s.kind === 'table' ? `table:${s.table}` : s.kind);
const decode = (v: string): Spotlight | null =>
  v === 'none' ? null : v === 'result' || v === 'plenary' || v === 'converging' ? { kind: v } : { kind: 'table', table: Number(v.split(':')[1]) };

export function ProjectorPanel({ data, emit }: { data: WallData; emit: SessionConnection['emit'] }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { session, tally, board } = data;
  const { theme, spotlight, pinned, join, paging, reveal } = session.projector;
  const [pages, setPages] = useState({ page: 0, count: 1 });
  const [error, setError] = useState<string | null>(null);
  const onPages = useCallback((page: number, count: number) => setPages({ page, count }), []);
  const stage = stageOf(session, tally, board);
  const set = async (change: ProjectorSetPayload) => {
    const res = await emit(Events.projectorSet, change);
    setError(res.ok ? null : errorText(res.error.code));
  };
  const resultRows = stage.kind === 'vote' && stage.phase === 'result' && tally?.voteId === stage.vote.id ? tally.results.length : 0;

  return (
    <section className="card projector-panel" aria-labelledby="projector-title">
      <h2 id="projector-title">{t.projectorControl.title}</h2>
      <p className="projector-panel__now">
        {t.projectorControl.nowShowing}: <strong>{stageName(t, stage)}</strong>
        {pages.count > 1 && ` · ${t.projectorControl.page(pages.page + 1, pages.count)}`}
      </p>
      <div className="wall-frame wall-frame--preview" role="img" aria-label={`${t.projectorControl.preview}: ${stageName(t, stage)}`}>
        <ProjectorScreen {...data} onPages={onPages} preview />
      </div>
      {pages.count > 1 && (
        <div className="button-row" role="group" aria-label={t.projectorControl.page(pages.page + 1, pages.count)}>
          <button type="button" className="button" onClick={() => void set({ page: 'previous' })}>
            ← {t.projectorControl.previousPage}
          </button>
          <button type="button" className="button" onClick={() => void set({ page: 'next' })}>
            {t.projectorControl.nextPage} →
          </button>
        </div>
      )}
      <label className="choice">
        <input type="checkbox" checked={paging.auto} onChange={(e) => void set({ autoPage: e.target.checked })} />
        {t.projectorControl.autoPage(PROJECTOR_PAGE_SECONDS)}
      </label>

      {resultRows > 0 && (
        <fieldset className="field">
          <legend>{t.projectorControl.reveal}</legend>
          <p className="field__hint">{t.projectorControl.revealState(reveal === null ? resultRows : Math.min(reveal, resultRows), resultRows)}</p>
          <div className="button-row">
            {reveal === null ? (
              <button type="button" className="button" onClick={() => void set({ reveal: 'stepwise' })}>
                {t.projectorControl.revealStepwise}
              </button>
            ) : (
              <>
                <button type="button" className="button button--primary" disabled={reveal >= resultRows} onClick={() => void set({ reveal: 'next' })}>
                  {t.projectorControl.revealNext}
                </button>
                <button type="button" className="button" onClick={() => void set({ reveal: 'all' })}>
                  {t.projectorControl.revealAll}
                </button>
              </>
            )}
          </div>
        </fieldset>
      )}

      <div className="field">
        <label htmlFor="spotlight">{t.projectorControl.spotlight}</label>
        <select id="spotlight" value={encode(spotlight)} onChange={(e) => void set({ spotlight: decode(e.target.value), pinned })}>
          <option value="none">{t.projectorControl.spotlightNone}</option>
          {Array.from({ length: session.tables }, (_, i) => (
            <option key={i} value={`table:${i + 1}`}>
              {t.projectorControl.spotlightTable(i + 1)}
            </option>
          ))}
          <option value="plenary">{t.projectorControl.spotlightPlenary}</option>
          <option value="converging">{t.projectorControl.spotlightConverging}</option>
          {session.vote && <option value="result">{t.projectorControl.spotlightResult}</option>}
        </select>
      </div>
      {spotlight && (
        <label className="choice">
          <input type="checkbox" checked={pinned} onChange={(e) => void set({ pinned: e.target.checked })} />
          {t.projectorControl.pin}
        </label>
      )}

      <fieldset className="field">
        <legend>{t.projectorControl.join}</legend>
        <div className="choice-row">
          {(['large', 'small', 'hidden'] as const).map((value) => (
            <label key={value} className="choice">
              <input type="radio" name="projector-join" checked={join === value} onChange={() => void set({ join: value })} />
              {t.projectorControl[value === 'large' ? 'joinLarge' : value === 'small' ? 'joinSmall' : 'joinHidden']}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="field">
        <legend>{t.projectorControl.theme}</legend>
        <div className="choice-row">
          {(['dark', 'light'] as const).map((value) => (
            <label key={value} className="choice">
              <input type="radio" name="projector-theme" checked={theme === value} onChange={() => void set({ theme: value })} />
              {t.projectorControl[value]}
            </label>
          ))}
        </div>
      </fieldset>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <a className="button" href={`/p/${session.id}`} target="_blank" rel="noopener">
        {t.facilitator.openProjector}
      </a>
    </section>
  );
}

function stageName(t: ReturnType<typeof useI18n>['t'], stage: Stage): string {
  const names = t.projectorControl.stages;
  switch (stage.kind) {
    case 'table':
      return names.table(stage.table);
    case 'vote':
      return names[stage.phase];
    default:
      return names[stage.kind];
  }
}
