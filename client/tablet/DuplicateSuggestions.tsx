/**
 * Points that seem to say the same thing, suggested while a table sorts its points and while the
 * facilitator builds the plenary list. Worked out on this device from the board itself
 * (shared/similarity.ts: Dutch stems, no network): only a suggestion, the people decide.
 * "Samenvoegen" merges the newer point into the older one (both texts stay, counted once, with
 * the trail of how); "Niet hetzelfde" remembers the pair on the board, for every device, so it
 * is not suggested again.
 */
import { useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { markNotSame, mergePoint, notSameMap, pointsMap, readNotSame, readPoints, mergeRoot, type PointData } from '../../shared/board';
import { pairKey, suggestDuplicates } from '../../shared/similarity';
import { useI18n } from '../i18n/I18n';

interface Props {
  doc: Y.Doc;
  /** The round on screen: a point of another round is named as such. Null on the plenary board. */
  roundId: string | null;
  /** The agenda step now, kept with a merge or a dismissal. */
  step: string | null;
  disabled: boolean;
}

/** Suggestions shown at once; the rest follow as these are handled. */
const SHOWN = 4;
/** Typing is not interrupted: the list follows the board this long after it last changed. */
const SETTLE_MS = 600;

interface Snapshot {
  points: PointData[];
  notSame: Set<string>;
}

function snapshot(doc: Y.Doc): Snapshot {
  return { points: readPoints(doc), notSame: readNotSame(doc) };
}

/** The board's points and dismissed pairs, read again once the board has been still for a moment. */
function useSettledBoard(doc: Y.Doc): Snapshot {
  const [state, setState] = useState<Snapshot>(() => snapshot(doc));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setState(snapshot(doc)), SETTLE_MS);
    };
    const points = pointsMap(doc);
    const notSame = notSameMap(doc);
    points.observeDeep(later);
    notSame.observe(later);
    return () => {
      clearTimeout(timer);
      points.unobserveDeep(later);
      notSame.unobserve(later);
    };
  }, [doc]);
  return state;
}

/** What was merged or dismissed here since the board was last read, so it leaves the list at once. */
interface Handled {
  board: Snapshot;
  points: ReadonlySet<string>;
  pairs: ReadonlySet<string>;
}

export function DuplicateSuggestions({ doc, roundId, step, disabled }: Props) {
  const { t } = useI18n();
  const board = useSettledBoard(doc);
  const { points, notSame } = board;
  const suggestions = useMemo(() => {
    const byId = new Map(points.map((p) => [p.id, p]));
    // Points that count on their own; the older of a pair comes first and stays.
    const candidates = points
      .filter((p) => !p.hidden && p.text.trim() !== '' && mergeRoot(byId, p) === null)
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    const found = suggestDuplicates(candidates, { skip: notSame });
    return found.map((s) => ({ ...s, a: byId.get(s.a)!, b: byId.get(s.b)! }));
  }, [points, notSame]);
  const [kept, setHandled] = useState<Handled>({ board, points: new Set(), pairs: new Set() });
  // A new read of the board knows all of it (an undone merge comes back; a refused one too).
  const handled = kept.board === board ? kept : { board, points: new Set<string>(), pairs: new Set<string>() };
  // A point can be in several suggestions; once merged, the others with it wait for the next read.
  const open = suggestions.filter((s) => !handled.points.has(s.a.id) && !handled.points.has(s.b.id) && !handled.pairs.has(pairKey(s.a.id, s.b.id)));
  if (open.length === 0) return null;

  const merge = (keep: PointData, duplicate: PointData) => {
    mergePoint(doc, duplicate.id, keep.id, { by: 'suggestion', step });
    setHandled({ ...handled, points: new Set(handled.points).add(duplicate.id) });
  };
  const dismiss = (a: PointData, b: PointData) => {
    markNotSame(doc, pairKey(a.id, b.id), step);
    setHandled({ ...handled, pairs: new Set(handled.pairs).add(pairKey(a.id, b.id)) });
  };
  const where = (p: PointData) =>
    p.origin ? t.board.suggestions.fromTable(p.origin.table) : roundId !== null && p.round !== roundId ? t.board.suggestions.earlierRound : null;

  return (
    <section className="suggestions" aria-labelledby="suggestions-title">
      <h2 id="suggestions-title" className="suggestions__title">
        {t.board.suggestions.title(open.length)}
      </h2>
      <p className="suggestions__hint">{t.board.suggestions.hint}</p>
      <ul className="suggestions__list">
        {open.slice(0, SHOWN).map(({ a, b }) => (
          <li key={pairKey(a.id, b.id)} className="suggestion">
            <div className="suggestion__pair">
              {[a, b].map((p) => (
                <p key={p.id} className="suggestion__text">
                  {p.text.trim()}
                  {where(p) && <span className="suggestion__where"> ({where(p)})</span>}
                </p>
              ))}
            </div>
            <div className="suggestion__actions">
              <button type="button" className="button button--primary" disabled={disabled} onClick={() => merge(a, b)}>
                {t.board.suggestions.merge}
              </button>
              <button type="button" className="button" disabled={disabled} onClick={() => dismiss(a, b)}>
                {t.board.suggestions.notSame}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {open.length > SHOWN && <p className="suggestions__more">{t.board.suggestions.more(open.length - SHOWN)}</p>}
    </section>
  );
}
