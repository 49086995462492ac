/**
 * The tablet's ballot for a dot vote. The ballot id and the dots stay on this device, so a
 * resend after a network hiccup or a change of mind replaces the same ballot on the server.
 */
import { useEffect, useState } from 'react';
import { dotsUsed } from '../../shared/dots';
import { Events, type Theme, type VoteView } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { useErrorText } from '../components/useErrorText';
import { ballots, newBallotId, type StoredBallot } from '../lib/storage';
import type { SessionConnection } from '../lib/useSessionSocket';

interface Props {
  vote: VoteView;
  themes: Theme[];
  votedHere: boolean;
  emit: SessionConnection['emit'];
  onReceived(voteId: string): void;
  onDone(): void;
}

export function Ballot({ vote, themes, votedHere, emit, onReceived, onDone }: Props) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [ballot, setBallot] = useState<StoredBallot>(
    () => ballots.get(vote.id) ?? { ballotId: newBallotId(), dots: {}, received: false },
  );
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setBallot(ballots.get(vote.id) ?? { ballotId: newBallotId(), dots: {}, received: false });
    setError(null);
  }, [vote.id]);

  const open = vote.status === 'open';
  const used = dotsUsed(ballot.dots);
  const left = vote.budget - used;
  const received = ballot.received;
  const sentBefore = votedHere || Boolean(ballot.sent);

  const change = (itemId: string, by: 1 | -1) => {
    const current = ballot.dots[itemId] ?? 0;
    const next = current + by;
    if (next < 0 || next > vote.maxPerItem || (by > 0 && left <= 0)) return;
    const updated = { ...ballot, dots: { ...ballot.dots, [itemId]: next }, received: false };
    setBallot(updated);
    ballots.set(vote.id, updated);
    setError(null);
  };

  const submit = async () => {
    setSending(true);
    setError(null);
    const res = await emit(Events.ballotSubmit, { voteId: vote.id, ballotId: ballot.ballotId, dots: ballot.dots });
    setSending(false);
    if (res.ok) {
      const updated = { ...ballot, received: true, sent: true };
      setBallot(updated);
      ballots.set(vote.id, updated);
      onReceived(vote.id);
    } else {
      setError(errorText(res.error.code));
    }
  };

  const themeLabel = new Map(themes.map((th) => [th.id, th.label]));
  const groups = themes
    .map((th) => ({ theme: th, items: vote.items.filter((i) => i.theme === th.id) }))
    .concat([{ theme: { id: '_other', label: t.report.other }, items: vote.items.filter((i) => !themeLabel.has(i.theme)) }])
    .filter((g) => g.items.length > 0);

  return (
    <section className="ballot" aria-labelledby="ballot-title">
      <h2 id="ballot-title">{t.ballot.title}</h2>
      <p>{t.ballot.intro(vote.budget, vote.maxPerItem)}</p>
      <p className="ballot__anon">{t.ballot.anonymous}</p>

      {!open && (
        <div className="notice-box" role="status">
          <p>
            <strong>{t.ballot.closed}</strong>
          </p>
          <button type="button" className="button" onClick={onDone}>
            {t.common.back}
          </button>
        </div>
      )}

      <p className="ballot__left" aria-live="polite">
        {t.ballot.left(left)}
      </p>

      {groups.map((g) => (
        <section key={g.theme.id} className="ballot__group" aria-labelledby={`ballot-${g.theme.id}`}>
          <h3 id={`ballot-${g.theme.id}`}>{g.theme.label}</h3>
          <ul className="ballot__items">
            {g.items.map((item) => {
              const n = ballot.dots[item.id] ?? 0;
              return (
                <li key={item.id} className={`ballot-item${n > 0 ? ' ballot-item--chosen' : ''}`}>
                  <div className="ballot-item__text">
                    <span>{item.text}</span>
                    <span className="ballot-item__table">{t.ballot.fromTable(item.table)}</span>
                  </div>
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
                      disabled={!open || left <= 0 || n >= vote.maxPerItem}
                      onClick={() => change(item.id, 1)}
                    >
                      +
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      ))}

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {received && (
        <div className="success" role="status">
          <p>
            <strong>{t.ballot.received}</strong>
          </p>
          {open && <p>{t.ballot.receivedHint}</p>}
        </div>
      )}
      {open && (
        <div className="ballot__submit">
          <button type="button" className="button button--primary button--wide" onClick={submit} disabled={sending || received || (used === 0 && !sentBefore)}>
            {sending ? t.ballot.sending : sentBefore ? t.ballot.change : t.ballot.submit}
          </button>
        </div>
      )}
    </section>
  );
}
