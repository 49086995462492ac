/**
 * Voting on recommendations: per recommendation a group of three large choices. A
 * recommendation left without a choice stays off the ballot, so it is not counted at all.
 */
import type { VoteItem } from '../../../shared/protocol';
import type { Stance } from '../../../shared/tally';
import { useI18n } from '../../i18n/I18n';
import type { ChoicesOf } from './choices';
import { OnePerItem } from './OnePerItem';

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
    <OnePerItem
      items={items}
      options={STANCES.map(({ stance, mark }) => ({
        value: stance,
        className: `stance stance--${stance}`,
        content: (
          <>
            <span className="stance__mark" aria-hidden="true">
              {mark}
            </span>
            {t.ballot.recommendations[stance]}
          </>
        ),
      }))}
      chosen={(id) => choices.stances[id]}
      onChoose={(id, stance) => onChange({ method: 'recommendations', stances: { ...choices.stances, [id]: stance } })}
      open={open}
      number={t.ballot.recommendations.number}
      answered={t.ballot.recommendations.answered(answered, items.length)}
      groupClassName="stances"
      chosenClassName="stance--chosen"
      name="stance"
    />
  );
}
