/** What the wall shows: light or dark, and optionally one table's board or the result in the spotlight. */
import { Events, type SessionView, type Spotlight } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import type { SessionConnection } from '../lib/useSessionSocket';

const encode = (s: Spotlight | null) => (s === null ? 'none' : s.kind === 'table' ? `table:${s.table}` : s.kind);
const decode = (v: string): Spotlight | null =>
  v === 'none' ? null : v === 'result' ? { kind: 'result' } : v === 'plenary' ? { kind: 'plenary' } : { kind: 'table', table: Number(v.split(':')[1]) };

export function ProjectorPanel({ session, emit }: { session: SessionView; emit: SessionConnection['emit'] }) {
  const { t } = useI18n();
  const { theme, spotlight } = session.projector;
  return (
    <section className="card" aria-labelledby="projector-title">
      <h2 id="projector-title">{t.projectorControl.title}</h2>
      <a className="button button--primary" href={`/p/${session.id}`} target="_blank" rel="noopener">
        {t.facilitator.openProjector}
      </a>
      <fieldset className="field">
        <legend>{t.projectorControl.theme}</legend>
        <div className="choice-row">
          {(['dark', 'light'] as const).map((value) => (
            <label key={value} className="choice">
              <input type="radio" name="projector-theme" checked={theme === value} onChange={() => void emit(Events.projectorSet, { theme: value })} />
              {t.projectorControl[value]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor="spotlight">{t.projectorControl.spotlight}</label>
        <select id="spotlight" value={encode(spotlight)} onChange={(e) => void emit(Events.projectorSet, { spotlight: decode(e.target.value) })}>
          <option value="none">{t.projectorControl.spotlightNone}</option>
          {Array.from({ length: session.tables }, (_, i) => (
            <option key={i} value={`table:${i + 1}`}>
              {t.projectorControl.spotlightTable(i + 1)}
            </option>
          ))}
          <option value="plenary">{t.projectorControl.spotlightPlenary}</option>
          {session.vote && <option value="result">{t.projectorControl.spotlightResult}</option>}
        </select>
      </div>
    </section>
  );
}
