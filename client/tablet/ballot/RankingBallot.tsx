/**
 * Ranking: the voter builds their own order out of the items, as long or short as they like.
 * Dragging a handle and the buttons do the same thing: the drag is for fingers and mice, the
 * buttons for keyboards and screen readers, and a live region says where an item ended up.
 */
import { useEffect, useRef, useState } from 'react';
import type { VoteItem } from '../../../shared/protocol';
import { useI18n } from '../../i18n/I18n';
import type { ChoicesOf, ItemGroup } from './choices';
import { ItemText } from './ItemText';
import { ThemeGroups } from './ThemeGroups';
import { useDragOrder } from './useDragOrder';

interface Props {
  items: VoteItem[];
  groups: ItemGroup[];
  choices: ChoicesOf<'ranking'>;
  open: boolean;
  onChange: (choices: ChoicesOf<'ranking'>) => void;
}

const move = (order: string[], from: number, to: number) => {
  const next = [...order];
  next.splice(to, 0, ...next.splice(from, 1));
  return next;
};

export function RankingBallot({ items, groups, choices, open, onChange }: Props) {
  const { t } = useI18n();
  const byId = new Map(items.map((i) => [i.id, i]));
  const ranking = choices.ranking.filter((id) => byId.has(id));
  const rankedSet = new Set(ranking);
  const unrankedGroups = groups.map((g) => ({ ...g, items: g.items.filter((i) => !rankedSet.has(i.id)) })).filter((g) => g.items.length > 0);
  // In screen order, so focus moves on to the item the voter sees next.
  const unranked = unrankedGroups.flatMap((g) => g.items.map((i) => i.id));
  const [announcement, setAnnouncement] = useState('');
  // Buttons move between lists or get disabled at the ends; focus is put back on purpose, not lost.
  const focusAfterRender = useRef<string | null>(null);
  useEffect(() => {
    if (!focusAfterRender.current) return;
    document.getElementById(focusAfterRender.current)?.focus();
    focusAfterRender.current = null;
  });

  const commit = (order: string[], said: string) => {
    onChange({ method: 'ranking', ranking: order });
    setAnnouncement(said);
  };
  const movedTo = (order: string[], id: string) => t.ballot.ranking.moved(byId.get(id)!.text, order.indexOf(id) + 1, order.length);

  const drag = useDragOrder(ranking, (order, id) => commit(order, movedTo(order, id)));

  const add = (id: string) => {
    const order = [...ranking, id];
    const at = unranked.indexOf(id);
    const nextChoice = unranked[at + 1] ?? unranked[at - 1];
    focusAfterRender.current = nextChoice ? `rank-add-${nextChoice}` : `rank-remove-${id}`;
    commit(order, movedTo(order, id));
  };
  const shift = (id: string, by: -1 | 1) => {
    const from = ranking.indexOf(id);
    const order = move(ranking, from, from + by);
    const at = from + by;
    const canGoOn = by < 0 ? at > 0 : at < order.length - 1;
    const [onward, back] = by < 0 ? ['up', 'down'] : ['down', 'up'];
    focusAfterRender.current = `rank-${canGoOn ? onward : back}-${id}`;
    commit(order, movedTo(order, id));
  };
  const remove = (id: string) => {
    focusAfterRender.current = `rank-add-${id}`;
    commit(
      ranking.filter((x) => x !== id),
      t.ballot.ranking.removed(byId.get(id)!.text),
    );
  };

  return (
    <>
      <p className="ballot__hint">{t.ballot.ranking.dragHint}</p>
      <section className="ranking" aria-labelledby="ranking-mine">
        <h3 id="ranking-mine">
          {t.ballot.ranking.mine} <span className="badge">{t.ballot.ranking.count(ranking.length)}</span>
        </h3>
        {ranking.length === 0 ? (
          <p className="ranking__empty">{t.ballot.ranking.mineEmpty}</p>
        ) : (
          <ol className={`ballot__items ranking__list${drag.active ? ' ranking__list--dragging' : ''}`}>
            {ranking.map((id) => {
              const item = byId.get(id)!;
              // While dragging, the place and the arrows follow the order the voter sees.
              const place = drag.order.indexOf(id);
              return (
                <li
                  key={id}
                  ref={drag.rowRef(id)}
                  className={`ballot-item ballot-item--chosen rank-item${drag.active === id ? ' rank-item--dragged' : ''}`}
                  style={drag.rowStyle(id)}
                >
                  <span className="rank-item__handle" aria-hidden="true" {...(open ? drag.handleProps(id) : {})}>
                    ⠿
                  </span>
                  <span className="rank-item__place" aria-hidden="true">
                    {place + 1}
                  </span>
                  <ItemText item={item} />
                  <div className="rank-item__buttons">
                    <button
                      id={`rank-up-${id}`}
                      type="button"
                      className="button stepper__button"
                      aria-label={t.ballot.ranking.up(item.text)}
                      disabled={!open || place === 0}
                      onClick={() => shift(id, -1)}
                    >
                      ↑
                    </button>
                    <button
                      id={`rank-down-${id}`}
                      type="button"
                      className="button stepper__button"
                      aria-label={t.ballot.ranking.down(item.text)}
                      disabled={!open || place === ranking.length - 1}
                      onClick={() => shift(id, 1)}
                    >
                      ↓
                    </button>
                    <button
                      id={`rank-remove-${id}`}
                      type="button"
                      className="button rank-item__remove"
                      aria-label={t.ballot.ranking.remove(item.text)}
                      disabled={!open}
                      onClick={() => remove(id)}
                    >
                      <span aria-hidden="true">✕</span> {t.ballot.ranking.removeShort}
                    </button>
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </section>
      <section className="ranking" aria-labelledby="ranking-rest">
        <h3 id="ranking-rest">{t.ballot.ranking.rest}</h3>
        {unranked.length === 0 ? (
          <p className="ranking__empty">{t.ballot.ranking.restEmpty}</p>
        ) : (
          <ThemeGroups
            groups={unrankedGroups}
            level={4}
            renderItem={(item) => (
              <li key={item.id} className="ballot-item">
                <ItemText item={item} />
                <button
                  id={`rank-add-${item.id}`}
                  type="button"
                  className="button"
                  aria-label={t.ballot.ranking.chooseLabel(item.text)}
                  disabled={!open}
                  onClick={() => add(item.id)}
                >
                  <span aria-hidden="true">+</span> {t.ballot.ranking.choose}
                </button>
              </li>
            )}
          />
        )}
      </section>
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}
