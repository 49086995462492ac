/** Dot voting: a stepper per item, within the budget and the most dots one item may get. */
import { dotsUsed } from '../../../shared/tally';
import { useI18n } from '../../i18n/I18n';
import type { ChoicesOf, ItemGroup, RulesOf } from './choices';
import { ItemText } from './ItemText';
import { ThemeGroups } from './ThemeGroups';

interface Props {
  groups: ItemGroup[];
  rules: RulesOf<'dots'>;
  choices: ChoicesOf<'dots'>;
  open: boolean;
  onChange: (choices: ChoicesOf<'dots'>) => void;
}

export function DotsBallot({ groups, rules, choices, open, onChange }: Props) {
  const { t } = useI18n();
  const left = rules.budget - dotsUsed(choices.dots);

  const change = (itemId: string, by: 1 | -1) => {
    const next = (choices.dots[itemId] ?? 0) + by;
    if (next < 0 || next > rules.maxPerItem || (by > 0 && left <= 0)) return;
    onChange({ method: 'dots', dots: { ...choices.dots, [itemId]: next } });
  };

  return (
    <>
      <p className="ballot__left" aria-live="polite">
        {t.ballot.left(left)}
      </p>
      <ThemeGroups
        groups={groups}
        renderItem={(item) => {
          const n = choices.dots[item.id] ?? 0;
          return (
            <li key={item.id} className={`ballot-item${n > 0 ? ' ballot-item--chosen' : ''}`}>
              <ItemText item={item} />
              <div className="stepper">
                <button
                  type="button"
                  className="button stepper__button"
                  aria-label={t.ballot.remove(item.text)}
                  disabled={!open || n === 0}
                  onClick={() => change(item.id, -1)}
                >
                  −
                </button>
                <span className="stepper__value" aria-label={t.ballot.count(n)}>
                  {'●'.repeat(n) || '0'}
                </span>
                <button
                  type="button"
                  className="button stepper__button"
                  aria-label={t.ballot.add(item.text)}
                  disabled={!open || left <= 0 || n >= rules.maxPerItem}
                  onClick={() => change(item.id, 1)}
                >
                  +
                </button>
              </div>
            </li>
          );
        }}
      />
    </>
  );
}
