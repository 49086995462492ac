/**
 * Spreading points: per item steps of 10 and 1, or a typed number. Every change is capped at
 * what is left, so the ballot can never go over the budget.
 */
import { useI18n } from '../../i18n/I18n';
import type { ChoicesOf, ItemGroup, RulesOf } from './choices';
import { ItemText } from './ItemText';
import { ThemeGroups } from './ThemeGroups';

interface Props {
  groups: ItemGroup[];
  rules: RulesOf<'points'>;
  choices: ChoicesOf<'points'>;
  open: boolean;
  onChange: (choices: ChoicesOf<'points'>) => void;
}

const STEPS = [10, 1] as const;

export function PointsBallot({ groups, rules, choices, open, onChange }: Props) {
  const { t } = useI18n();
  const used = Object.values(choices.points).reduce((sum, n) => sum + n, 0);
  const left = Math.max(0, rules.budget - used);

  const set = (itemId: string, wanted: number) => {
    const current = choices.points[itemId] ?? 0;
    const next = Math.max(0, Math.min(Math.floor(wanted), current + left));
    if (next === current) return;
    onChange({ method: 'points', points: { ...choices.points, [itemId]: next } });
  };

  return (
    <>
      <p className="ballot__left" aria-live="polite">
        {t.ballot.points.left(left)}
      </p>
      <ThemeGroups
        groups={groups}
        renderItem={(item) => {
          const n = choices.points[item.id] ?? 0;
          return (
            <li key={item.id} className={`ballot-item ballot-item--points${n > 0 ? ' ballot-item--chosen' : ''}`}>
              <ItemText item={item} />
              <div className="stepper">
                {STEPS.map((step) => (
                  <button
                    key={`-${step}`}
                    type="button"
                    className="button stepper__button stepper__button--text"
                    aria-label={t.ballot.points.take(step, item.text)}
                    disabled={!open || n === 0}
                    onClick={() => set(item.id, n - step)}
                  >
                    −{step}
                  </button>
                ))}
                <input
                  className="points-input"
                  type="text"
                  inputMode="numeric"
                  pattern="[0-9]*"
                  aria-label={t.ballot.points.amount(item.text)}
                  value={String(n)}
                  disabled={!open}
                  onFocus={(e) => e.currentTarget.select()}
                  onChange={(e) => set(item.id, Number(e.currentTarget.value.replace(/\D/g, '')) || 0)}
                />
                {[...STEPS].reverse().map((step) => (
                  <button
                    key={`+${step}`}
                    type="button"
                    className="button stepper__button stepper__button--text"
                    aria-label={t.ballot.points.add(step, item.text)}
                    disabled={!open || left === 0}
                    onClick={() => set(item.id, n + step)}
                  >
                    +{step}
                  </button>
                ))}
              </div>
            </li>
          );
        }}
      />
    </>
  );
}
