/**
 * Doorgeefstand: one tablet for a whole table, passed from hand to hand. Each seat gets its own
 * ballot with a fresh id. Once the server has a ballot, its choices are gone from the screen and
 * from memory, so the next person never sees them, and no one can go back to an earlier seat.
 * Only { ballotId, seat, received } is kept, so a ballot whose acknowledgement got lost is sent
 * again under the same id instead of taking a second seat; the server's list of seats that voted
 * from this device lets a reloaded tablet carry on where it was.
 */
import { useState } from 'react';
import type { Theme, VoteItem, VoteView } from '../../../shared/protocol';
import { useI18n } from '../../i18n/I18n';
import { newBallotId, seatBallots, type BallotChoices, type StoredSeatBallot } from '../../lib/storage';
import type { SessionConnection } from '../../lib/useSessionSocket';
import { BallotForm } from './BallotForm';
import { emptyChoices, isBlank } from './choices';
import { useSendBallot } from './useSendBallot';

interface Props {
  vote: VoteView;
  items: VoteItem[];
  themes: Theme[];
  seats: number;
  /** Seats that, according to the server, already voted from this device. */
  seatsVoted: number[];
  emit: SessionConnection['emit'];
  onReceived: (voteId: string) => void;
  onDone: () => void;
}

type Phase = 'handOver' | 'voting' | 'thanks';

export function SharedTablet({ vote, items, themes, seats, seatsVoted, emit, onReceived, onDone }: Props) {
  const { t } = useI18n();
  const [current, setCurrent] = useState<StoredSeatBallot | null>(() => seatBallots.get(vote.id));
  const [phase, setPhase] = useState<Phase>('handOver');
  /** Seats the server refused as already taken (e.g. after this device's storage was cleared). */
  const [taken, setTaken] = useState<number[]>([]);
  const [choices, setChoices] = useState<BallotChoices>(() => emptyChoices(vote.method));
  const { send, sending, error, setError } = useSendBallot(vote, emit);
  const open = vote.status === 'open';

  const done = new Set([...seatsVoted, ...taken, ...(current?.received ? [current.seat] : [])]);
  const freeSeat = (without: Set<number>) => Array.from({ length: seats }, (_, i) => i + 1).find((s) => !without.has(s)) ?? null;
  // A ballot that was started but never acknowledged keeps its seat and id.
  const nextSeat = current && !done.has(current.seat) && current.seat <= seats ? current.seat : freeSeat(done);

  const keep = (next: StoredSeatBallot) => {
    setCurrent(next);
    seatBallots.set(vote.id, next);
  };

  const begin = () => {
    if (nextSeat === null) return;
    const resumes = current !== null && current.seat === nextSeat && !current.received;
    if (!resumes) keep({ ballotId: newBallotId(), seat: nextSeat, received: false });
    setChoices(emptyChoices(vote.method));
    setError(null);
    setPhase('voting');
  };

  const submit = async () => {
    if (!current) return;
    const res = await send(current.ballotId, choices, current.seat);
    if (res.ok) {
      keep({ ...current, received: true });
      setChoices(emptyChoices(vote.method));
      setPhase('thanks');
      onReceived(vote.id);
    } else if (res.code === 'seat_taken') {
      // The voter is still here with their choices: give them the next free seat and a new id.
      const nowTaken = [...taken, current.seat];
      setTaken(nowTaken);
      const seat = freeSeat(new Set([...done, ...nowTaken]));
      if (seat !== null) {
        keep({ ballotId: newBallotId(), seat, received: false });
        setError(t.ballot.shared.seatTaken);
      } else {
        // Every seat has voted: the refusal stays on screen above "everyone has voted".
        setChoices(emptyChoices(vote.method));
        setPhase('handOver');
      }
    }
  };

  if (phase === 'voting' && current) {
    return (
      <BallotForm
        vote={vote}
        items={items}
        themes={themes}
        choices={choices}
        onChange={(next) => {
          setChoices(next);
          setError(null);
        }}
        turn={t.ballot.shared.turn(current.seat, seats)}
        onDone={onDone}
      >
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {open && (
          <div className="ballot__submit">
            <button type="button" className="button button--primary button--wide" onClick={submit} disabled={sending}>
              {sending ? t.ballot.sending : isBlank(choices) ? t.ballot.submitBlank : t.ballot.submit}
            </button>
          </div>
        )}
      </BallotForm>
    );
  }

  return (
    <section className="ballot handover" aria-labelledby="handover-title">
      {phase === 'thanks' && (
        <div className="success" role="status">
          <p>
            <strong>{t.ballot.shared.thanks}</strong>
          </p>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!open ? (
        <>
          <h2 id="handover-title">{t.ballot.closed}</h2>
          <button type="button" className="button" onClick={onDone}>
            {t.common.back}
          </button>
        </>
      ) : nextSeat === null ? (
        <>
          <h2 id="handover-title">{t.ballot.shared.allDone}</h2>
          <p>{t.ballot.shared.allDoneHint}</p>
        </>
      ) : phase === 'thanks' ? (
        <>
          <h2 id="handover-title">{t.ballot.shared.passOn}</h2>
          <button type="button" className="button button--primary button--wide handover__button" onClick={() => setPhase('handOver')}>
            {t.ballot.shared.next}
          </button>
        </>
      ) : (
        <>
          <h2 id="handover-title" className="handover__turn">
            {t.ballot.shared.turn(nextSeat, seats)}
          </h2>
          <p className="lead">{t.ballot.shared.handOver}</p>
          <p className="ballot__anon">{t.ballot.anonymous}</p>
          <button type="button" className="button button--primary button--wide handover__button" onClick={begin}>
            {t.ballot.shared.start}
          </button>
        </>
      )}
    </section>
  );
}
