/**
 * What every ballot shows, whatever the method: what to do in plain words, that the vote is
 * secret, whether the result waits for the close, and the method's own way of choosing. The
 * caller adds how the ballot is sent (one voter's own tablet, or a shared one).
 */
import type { ReactNode } from 'react';
import type { Theme, VoteItem, VoteView } from '../../../shared/protocol';
import { useI18n } from '../../i18n/I18n';
import type { BallotChoices } from '../../lib/storage';
import { groupByTheme } from './choices';
import { ClosedNotice } from './ClosedNotice';
import { DotsBallot } from './DotsBallot';
import { GradedBallot } from './GradedBallot';
import { PointsBallot } from './PointsBallot';
import { RankingBallot } from './RankingBallot';
import { RecommendationsBallot } from './RecommendationsBallot';

interface Props {
  vote: VoteView;
  items: VoteItem[];
  themes: Theme[];
  choices: BallotChoices;
  onChange: (choices: BallotChoices) => void;
  /** On a shared tablet: whose turn it is ("Stem 2 van 5"). */
  turn?: string;
  onDone: () => void;
  /** Sending, errors and the receipt. */
  children: ReactNode;
}

export function BallotForm({ vote, items, themes, choices, onChange, turn, onDone, children }: Props) {
  const { t } = useI18n();
  const open = vote.status === 'open';
  const groups = groupByTheme(items, themes, t.report.other);
  const editor = { open, onChange };

  let choosing: ReactNode = null;
  if (choices.method === 'dots' && vote.rules.method === 'dots') choosing = <DotsBallot groups={groups} rules={vote.rules} choices={choices} {...editor} />;
  else if (choices.method === 'points' && vote.rules.method === 'points')
    choosing = <PointsBallot groups={groups} rules={vote.rules} choices={choices} {...editor} />;
  else if (choices.method === 'ranking') choosing = <RankingBallot items={items} groups={groups} choices={choices} {...editor} />;
  else if (choices.method === 'recommendations') choosing = <RecommendationsBallot items={items} choices={choices} {...editor} />;
  else if (choices.method === 'graded' && vote.rules.method === 'graded')
    choosing = <GradedBallot items={items} rules={vote.rules} choices={choices} {...editor} />;

  return (
    <section className="ballot" aria-labelledby="ballot-title">
      {turn && <p className="ballot__turn">{turn}</p>}
      <h2 id="ballot-title">{t.ballot.title}</h2>
      <p className="ballot__intro">{introFor(vote.rules, t)}</p>
      <p className="ballot__anon">{t.ballot.anonymous}</p>
      {vote.blind && <p className="ballot__anon">{t.ballot.blind}</p>}

      {items.length === 0 ? <p className="lead">{t.ballot.nothing}</p> : choosing}
      {children}
      {!open && <ClosedNotice onDone={onDone} />}
    </section>
  );
}

function introFor(rules: VoteView['rules'], t: ReturnType<typeof useI18n>['t']): string {
  switch (rules.method) {
    case 'dots':
      return t.ballot.intro(rules.budget, rules.maxPerItem);
    case 'ranking':
      return t.ballot.ranking.intro;
    case 'points':
      return t.ballot.points.intro(rules.budget);
    case 'recommendations':
      return t.ballot.recommendations.intro(rules.threshold);
    case 'graded':
      return t.ballot.graded.intro(rules.labels, rules.accept, rules.threshold);
  }
}
