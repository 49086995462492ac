/**
 * A ballot on a tablet that belongs to one voter. The ballot id and the choices stay on this
 * device, so a resend after a network hiccup or a change of mind replaces the same ballot, and
 * the voter still sees what they chose after a reload, until the vote closes.
 */
import { useState } from 'react';
import type { Theme, VoteItem, VoteView } from '../../../shared/protocol';
import { useI18n } from '../../i18n/I18n';
import { ballots, newBallotId, type BallotChoices, type StoredBallot } from '../../lib/storage';
import type { SessionConnection } from '../../lib/useSessionSocket';
import { BallotForm } from './BallotForm';
import { choicesFor, isBlank } from './choices';
import { useSendBallot } from './useSendBallot';

interface Props {
  vote: VoteView;
  items: VoteItem[];
  themes: Theme[];
  /** The server says this device has a ballot in this vote. */
  votedHere: boolean;
  emit: SessionConnection['emit'];
  onReceived: (voteId: string) => void;
  onDone: () => void;
}

export function PersonalBallot({ vote, items, themes, votedHere, emit, onReceived, onDone }: Props) {
  const { t } = useI18n();
  const [ballot, setBallot] = useState<StoredBallot>(() => ballots.get(vote.id) ?? { ballotId: newBallotId(), choices: null, received: false });
  const { send, sending, error, setError } = useSendBallot(vote, emit);
  const choices = choicesFor(vote.method, ballot.choices);
  const open = vote.status === 'open';
  const sentBefore = votedHere || Boolean(ballot.sent);

  const keep = (next: StoredBallot) => {
    setBallot(next);
    ballots.set(vote.id, next);
  };

  const change = (next: BallotChoices) => {
    keep({ ...ballot, choices: next, received: false });
    setError(null);
  };

  const submit = async () => {
    const res = await send(ballot.ballotId, choices);
    if (res.ok) {
      keep({ ...ballot, choices, received: true, sent: true });
      onReceived(vote.id);
    }
  };

  return (
    <BallotForm vote={vote} items={items} themes={themes} choices={choices} onChange={change} onDone={onDone}>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {ballot.received && (
        <div className="success" role="status">
          <p>
            <strong>{t.ballot.received}</strong>
          </p>
          {open && <p>{t.ballot.receivedHint}</p>}
        </div>
      )}
      {open && items.length > 0 && (
        <div className="ballot__submit">
          <button
            type="button"
            className="button button--primary button--wide"
            onClick={submit}
            disabled={sending || ballot.received || (isBlank(choices) && !sentBefore)}
          >
            {sending ? t.ballot.sending : sentBefore ? t.ballot.change : t.ballot.submit}
          </button>
        </div>
      )}
    </BallotForm>
  );
}
