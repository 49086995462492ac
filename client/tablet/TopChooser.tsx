/** The prioritising step: the table agrees its top 3 on the shared board. */
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { readTop, toggleTop, topMap, TOP_SIZE } from '../../shared/board';
import type { Theme } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { usePoints } from './Board';

export function TopChooser({ doc, roundId, themes }: { doc: Y.Doc; roundId: string; themes: Theme[] }) {
  const { t } = useI18n();
  // usePoints re-renders on any change to the points; the top list lives in its own map.
  const points = usePoints(doc).filter((p) => p.round === roundId && !p.hidden && p.text.trim() !== '');
  useTopVersion(doc);
  const top = readTop(doc, roundId);
  const label = new Map(themes.map((th) => [th.id, th.label]));
  if (points.length === 0) return <p>{t.top.empty}</p>;
  return (
    <section className="top-chooser" aria-labelledby="top-title">
      <h2 id="top-title">{t.top.title}</h2>
      <p>{t.top.intro}</p>
      <p className="ballot__left" aria-live="polite">
        {t.top.chosen(top.length)}
      </p>
      <ul className="top-chooser__list">
        {points.map((p) => {
          const rank = top.indexOf(p.id);
          const chosen = rank >= 0;
          return (
            <li key={p.id}>
              <button
                type="button"
                className={`top-chooser__item${chosen ? ' top-chooser__item--chosen' : ''}`}
                aria-pressed={chosen}
                aria-label={chosen ? t.top.remove(p.text) : t.top.add(p.text)}
                disabled={!chosen && top.length >= TOP_SIZE}
                onClick={() => toggleTop(doc, roundId, p.id)}
              >
                <span className="top-chooser__rank" aria-hidden="true">
                  {chosen ? rank + 1 : ''}
                </span>
                <span className="top-chooser__text">
                  {p.text}
                  <span className="ballot-item__table">{label.get(p.theme) ?? ''}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Re-renders when the table's top lists change. */
function useTopVersion(doc: Y.Doc): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const map = topMap(doc);
    const bump = () => setVersion((v) => v + 1);
    map.observeDeep(bump);
    return () => map.unobserveDeep(bump);
  }, [doc]);
  return version;
}
