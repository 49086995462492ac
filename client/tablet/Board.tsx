/** The table's board: a column per theme, points added with one tap and edited in place. */
import { nanoid } from 'nanoid';
import { useCallback, useEffect, useState } from 'react';
import * as Y from 'yjs';
import { addPoint, pointsMap, readPoints } from '../../shared/board';
import { LIMITS, type Theme } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { PointCard } from './PointCard';

interface Entry {
  id: string;
  theme: string;
  empty: boolean;
}

/** The board's structure (which point under which theme); text changes do not re-render it. */
function useEntries(doc: Y.Doc): Entry[] {
  const [entries, setEntries] = useState<Entry[]>([]);
  useEffect(() => {
    const points = pointsMap(doc);
    let signature = '';
    const update = () => {
      const next = readPoints(doc).map((p) => ({ id: p.id, theme: p.theme, empty: p.text.trim() === '' }));
      const sig = JSON.stringify(next);
      if (sig !== signature) {
        signature = sig;
        setEntries(next);
      }
    };
    update();
    points.observeDeep(update);
    return () => points.unobserveDeep(update);
  }, [doc]);
  return entries;
}

export function Board({ doc, themes }: { doc: Y.Doc; themes: Theme[] }) {
  const { t } = useI18n();
  const entries = useEntries(doc);
  const [added, setAdded] = useState<string | null>(null);
  const known = new Set(themes.map((th) => th.id));
  const full = entries.length >= LIMITS.pointsPerTable;

  const add = (themeId: string) => {
    const id = nanoid(12);
    addPoint(doc, id, themeId);
    setAdded(id);
  };
  const remove = useCallback((id: string) => pointsMap(doc).delete(id), [doc]);

  // Points under a theme that no longer exists stay visible under the first theme.
  const columnOf = (e: Entry) => (known.has(e.theme) ? e.theme : themes[0]!.id);

  return (
    <div className="board" aria-label={t.tablet.board} role="region">
      {themes.map((theme) => {
        const inTheme = entries.filter((e) => columnOf(e) === theme.id);
        const headingId = `theme-${theme.id}`;
        return (
          <section key={theme.id} className="board__column" aria-labelledby={headingId}>
            <h2 id={headingId} className="board__theme">
              {theme.label} <span className="board__count">({inTheme.length})</span>
            </h2>
            <ul className="board__points">
              {inTheme.map((e) => {
                const point = pointsMap(doc).get(e.id);
                return point ? (
                  <PointCard
                    key={e.id}
                    id={e.id}
                    point={point}
                    theme={theme}
                    themes={themes}
                    autoFocus={added === e.id}
                    isEmpty={e.empty}
                    onRemove={remove}
                  />
                ) : null;
              })}
            </ul>
            <button type="button" className="button button--add" onClick={() => add(theme.id)} disabled={full}>
              + {t.tablet.addPoint}
              <span className="sr-only"> ({theme.label})</span>
            </button>
          </section>
        );
      })}
    </div>
  );
}
