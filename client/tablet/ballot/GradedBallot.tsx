/**
 * Graded support: per item one choice on the vote's scale ("Helemaal voor" … "Bezwaar"), each
 * level marked with the colour it has in the result. An item left without a choice stays off the
 * ballot, so it is not counted at all.
 */
import type { VoteItem } from '../../../shared/protocol';
import { scaleColors } from '../../../shared/scale';
import { useI18n } from '../../i18n/I18n';
import type { ChoicesOf, RulesOf } from './choices';

interface Props {
  items: VoteItem[];
  rules: RulesOf<'graded'>;
  choices: ChoicesOf<'graded'>;
  open: boolean;
  onChange: (choices: ChoicesOf<'graded'>) => void;
}

export function GradedBallot({ items, rules, choices, open, onChange }: Props) {
  const { t } = useI18n();
  const colors = scaleColors(rules.labels.length);
  const answered = items.filter((i) => choices.grades[i.id] !== undefined).length;

  return (
    <>
      <p className="ballot__left" aria-live="polite">
        {t.ballot.graded.answered(answered, items.length)}
      </p>
      <ol className="ballot__items recommendations">
        {items.map((item, index) => {
          const chosen = choices.grades[item.id];
          return (
            <li key={item.id} className={`ballot-item recommendation${chosen !== undefined ? ' ballot-item--chosen' : ''}`}>
              <fieldset className="recommendation__field">
                <legend className="recommendation__text">
                  <span className="recommendation__number">{t.ballot.graded.number(index + 1)}</span>
                  {item.text}
                </legend>
                <div className="grades">
                  {rules.labels.map((label, level) => (
                    <label key={level} className={`grade${chosen === level ? ' grade--chosen' : ''}`}>
                      <input
                        type="radio"
                        name={`grade-${item.id}`}
                        value={level}
                        checked={chosen === level}
                        disabled={!open}
                        onChange={() => onChange({ method: 'graded', grades: { ...choices.grades, [item.id]: level } })}
                      />
                      <span className="grade__swatch" style={{ background: colors[level] }} aria-hidden="true" />
                      {label}
                      <span className="grade__mark" aria-hidden="true">
                        ✓
                      </span>
                    </label>
                  ))}
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
    </>
  );
}
