/**
 * Voting on recommendations: per recommendation a group of three large choices. A
 * recommendation left without a choice stays off the ballot, so it is not counted at all.
 */
import type { VoteItem } from '../../../shared/protocol';
import type { Stance } from '../../../shared/tally';
import { useI18n } from '../../i18n/I18n';
import type { ChoicesOf } from './choices';

interface Props {
  items: VoteItem[];
  choices: ChoicesOf<'recommendations'>;
  open: boolean;
  onChange: (choices: ChoicesOf<'recommendations'>) => void;
}

const STANCES: { stance: Stance; mark: string }[] = [
  { stance: 'support', mark: '✓' },
  { stance: 'oppose', mark: '✗' },
  { stance: 'abstain', mark: '–' },
];

export function RecommendationsBallot({ items, choices, open, onChange }: Props) {
  const { t } = useI18n();
  const answered = items.filter((i) => choices.stances[i.id] !== undefined).length;

  return (
    <>
      <p className="ballot__left" aria-live="polite">
        {t.ballot.recommendations.answered(answered, items.length)}
      </p>
      <ol className="ballot__items recommendations">
        {items.map((item, index) => {
          const chosen = choices.stances[item.id];
          return (
            <li key={item.id} className={`ballot-item recommendation${chosen ? ' ballot-item--chosen' : ''}`}>
              <fieldset className="recommendation__field">
                <legend className="recommendation__text">
                  <span className="recommendation__number">{t.ballot.recommendations.number(index + 1)}</span>
                  {item.text}
                </legend>
                <div className="stances">
                  {STANCES.map(({ stance, mark }) => (
                    <label key={stance} className={`stance stance--${stance}${chosen === stance ? ' stance--chosen' : ''}`}>
                      <input
                        type="radio"
                        name={`stance-${item.id}`}
                        value={stance}
                        checked={chosen === stance}
                        disabled={!open}
                        onChange={() => onChange({ method: 'recommendations', stances: { ...choices.stances, [item.id]: stance } })}
                      />
                      <span className="stance__mark" aria-hidden="true">
                        {mark}
                      </span>
                      {t.ballot.recommendations[stance]}
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
