import { useI18n } from '../i18n/I18n';

/** Large buttons, one per table: the only choice a participant makes to join. */
export function TablePicker({ tables, current, onPick, busy }: { tables: number; current?: number | null; onPick: (n: number) => void; busy?: boolean }) {
  const { t } = useI18n();
  return (
    <section className="table-picker" aria-labelledby="pick-title">
      <h2 id="pick-title">{t.join.pickTable}</h2>
      <p>{t.join.pickHint}</p>
      <ul className="table-picker__grid">
        {Array.from({ length: tables }, (_, i) => i + 1).map((n) => (
          <li key={n}>
            <button
              type="button"
              className={`button table-picker__button${current === n ? ' button--primary' : ''}`}
              aria-pressed={current === n}
              disabled={busy}
              onClick={() => onPick(n)}
            >
              {t.common.table(n)}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
