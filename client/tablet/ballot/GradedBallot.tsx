/**
 * Graded support: per item one choice on the vote's scale ("Helemaal voor" … "Bezwaar"), each
 * level marked with the colour it has in the result. An item left without a choice stays off the
 * ballot, so it is not counted at all.
 */
import type { VoteItem } from '../../../shared/protocol';
import { scaleColors } from '../../../shared/scale';
import { useI18n } from '../../i18n/I18n';
import type { ChoicesOf, RulesOf } from './choices';
import { OnePerItem } from './OnePerItem';

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
    <OnePerItem
      items={items}
      options={rules.labels.map((label, level) => ({
        value: level,
        className: 'grade',
        content: (
          <>
            <span className="grade__swatch" style={{ background: colors[level] }} aria-hidden="true" />
            {label}
            <span className="grade__mark" aria-hidden="true">
              ✓
            </span>
          </>
        ),
      }))}
      chosen={(id) => choices.grades[id]}
      onChoose={(id, level) => onChange({ method: 'graded', grades: { ...choices.grades, [id]: level } })}
      open={open}
      number={t.ballot.graded.number}
      answered={t.ballot.graded.answered(answered, items.length)}
      groupClassName="grades"
      chosenClassName="grade--chosen"
      name="grade"
    />
  );
}
