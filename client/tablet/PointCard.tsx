/** One point on the table's board: its text, co-edited live, and the theme it sits under. */
import { memo, useEffect, useRef } from 'react';
import type * as Y from 'yjs';
import { pointText } from '../../shared/board';
import { LIMITS, type Theme } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { bindTextarea } from './textBinding';

interface Props {
  id: string;
  point: Y.Map<unknown>;
  theme: Theme;
  themes: Theme[];
  autoFocus: boolean;
  isEmpty: boolean;
  hidden: boolean;
  /** Another tablet at the table is writing in this point right now. */
  othersEditing: boolean;
  onFocusChange(id: string | null): void;
  onRemove(id: string): void;
  /** Only for the table host. */
  onHide?: (id: string, hidden: boolean) => void;
}

export const PointCard = memo(function PointCard({ id, point, theme, themes, autoFocus, isEmpty, hidden, othersEditing, onFocusChange, onRemove, onHide }: Props) {
  const { t } = useI18n();
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const text = pointText(point);
    const el = ref.current;
    if (!text || !el) return;
    const unbind = bindTextarea(text, el);
    if (autoFocus) el.focus();
    return unbind;
  }, [point, autoFocus]);

  const selectId = `move-${id}`;
  return (
    <li className={`point-card${hidden ? ' point-card--hidden' : ''}${othersEditing ? ' point-card--busy' : ''}`}>
      {hidden && <p className="point-card__hidden">{t.host.hidden}</p>}
      {othersEditing && <p className="point-card__busy">✎ {t.board.othersEditing}</p>}
      <textarea
        ref={ref}
        className="point-card__text"
        aria-label={t.tablet.pointLabel(theme.label)}
        placeholder={t.tablet.pointPlaceholder}
        maxLength={LIMITS.pointTextLength}
        rows={2}
        onFocus={() => onFocusChange(id)}
        onBlur={() => onFocusChange(null)}
      />
      <div className="point-card__tools">
        <label htmlFor={selectId} className="sr-only">
          {t.tablet.moveLabel}
        </label>
        <select
          id={selectId}
          className="point-card__move"
          value={theme.id}
          onChange={(e) => point.set('theme', e.target.value)}
        >
          {themes.map((th) => (
            <option key={th.id} value={th.id}>
              {t.tablet.moveTo}: {th.label}
            </option>
          ))}
        </select>
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
    </li>
  );
});
