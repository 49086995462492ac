/** One point on the table's board: its text, co-edited live, and the theme it sits under. */
import { memo, useEffect, useRef } from 'react';
import type * as Y from 'yjs';
import { pointText, type PointData, type PointOrigin } from '../../shared/board';
import { LIMITS, type Theme } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { bindTextarea } from './textBinding';

interface Props {
  id: string;
  point: Y.Map<unknown>;
  theme: Theme;
  themes: Theme[];
  /** This tablet just added the point: its text takes the focus, to type in at once. */
  justAdded: boolean;
  isEmpty: boolean;
  hidden: boolean;
  /** Another tablet at the table is writing in this point right now. */
  othersEditing: boolean;
  /** Duplicates that were merged into this point. */
  merged: PointData[];
  /** 'source' while this point is being merged, 'target' while another one looks for a place. */
  mergeState: 'idle' | 'source' | 'target';
  onStartMerge: (id: string) => void;
  onMergeInto: (id: string) => void;
  onUnmerge: (id: string) => void;
  canMoveUp: boolean;
  canMoveDown: boolean;
  onMove: (id: string, by: -1 | 1) => void;
  onFocusChange: (id: string | null) => void;
  onRemove: (id: string) => void;
  /** Only for the table host. */
  onHide?: (id: string, hidden: boolean) => void;
  /** On the plenary board: the table point it came from. */
  origin?: PointOrigin | null;
  /** The step keeps points as they are: the text is read-only and only hiding remains. */
  locked?: boolean;
}

export const PointCard = memo(function PointCard(props: Props) {
  const { id, point, theme, themes, justAdded, isEmpty, hidden, othersEditing, merged, mergeState, onFocusChange, onRemove, onHide, locked = false } = props;
  const { t } = useI18n();
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const text = pointText(point);
    const el = ref.current;
    if (!text || !el) return;
    const unbind = bindTextarea(text, el);
    if (justAdded) el.focus();
    return unbind;
  }, [point, justAdded]);

  const selectId = `move-${id}`;
  return (
    <li
      className={['point-card', hidden && 'point-card--hidden', othersEditing && 'point-card--busy', mergeState === 'source' && 'point-card--merging']
        .filter(Boolean)
        .join(' ')}
    >
      {hidden && <p className="point-card__hidden">{t.host.hidden}</p>}
      {othersEditing && <p className="point-card__busy">✎ {t.board.othersEditing}</p>}
      {props.origin && (
        <p className="point-card__origin">
          {t.common.table(props.origin.table)}
          {props.origin.count > 1 && ` · ${t.plenary.times(props.origin.count)}`}
        </p>
      )}
      <textarea
        ref={ref}
        className="point-card__text"
        aria-label={t.tablet.pointLabel(theme.label)}
        placeholder={t.tablet.pointPlaceholder}
        maxLength={LIMITS.pointTextLength}
        readOnly={locked}
        rows={2}
        onFocus={() => onFocusChange(id)}
        onBlur={() => onFocusChange(null)}
      />
      {merged.length > 0 && (
        <div className="point-card__merged">
          <p>{t.board.mergedWith(merged.length)}</p>
          <ul>
            {merged.map((m) => (
              <li key={m.id}>
                <span>
                  {m.text}
                  {m.origin && <span className="point-card__origin"> ({t.common.table(m.origin.table)})</span>}
                </span>
                {!locked && (
                  <button type="button" className="button button--small button--quiet" onClick={() => props.onUnmerge(m.id)}>
                    {t.board.unmerge}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {mergeState === 'target' && !isEmpty && (
        <button type="button" className="button button--primary button--wide" onClick={() => props.onMergeInto(id)}>
          {t.board.mergeInto}
        </button>
      )}
      {locked ? (
        onHide &&
        !isEmpty && (
          <div className="point-card__tools">
            <button type="button" className="button button--quiet" onClick={() => onHide(id, !hidden)}>
              {hidden ? t.host.unhide : t.host.hide}
            </button>
          </div>
        )
      ) : (
        <div className="point-card__tools">
          <label htmlFor={selectId} className="sr-only">
            {t.tablet.moveLabel}
          </label>
          <select id={selectId} className="point-card__move" value={theme.id} onChange={(e) => point.set('theme', e.target.value)}>
            {themes.map((th) => (
              <option key={th.id} value={th.id}>
                {t.tablet.moveTo}: {th.label}
              </option>
            ))}
          </select>
          <button type="button" className="button button--small" aria-label={t.board.up} disabled={!props.canMoveUp} onClick={() => props.onMove(id, -1)}>
            ↑
          </button>
          <button type="button" className="button button--small" aria-label={t.board.down} disabled={!props.canMoveDown} onClick={() => props.onMove(id, 1)}>
            ↓
          </button>
          {!isEmpty && mergeState === 'idle' && (
            <button type="button" className="button button--small" onClick={() => props.onStartMerge(id)}>
              {t.board.merge}
            </button>
          )}
          {isEmpty && (
            <button type="button" className="button button--quiet" onClick={() => onRemove(id)}>
              {t.tablet.remove}
            </button>
          )}
          {onHide && !isEmpty && (
            <button type="button" className="button button--quiet" onClick={() => onHide(id, !hidden)}>
              {hidden ? t.host.unhide : t.host.hide}
            </button>
          )}
        </div>
      )}
    </li>
  );
});
