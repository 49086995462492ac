/** Opening and closing the dot vote, with the live result while it runs. */
import { useState } from 'react';
import type { Step } from '../../shared/agenda';
import { Events, LIMITS, type Tally, type VoteView } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { Turnout, VoteChart } from '../components/VoteChart';
import { useErrorText } from '../components/useErrorText';
import type { SessionConnection } from '../lib/useSessionSocket';

const BUDGETS = Array.from({ length: 10 }, (_, i) => i + 1);

interface Props {
  vote: VoteView | null;
  tally: Tally | null;
  emit: SessionConnection['emit'];
  /** The current voting step; without one, a vote can only be closed and read. */
  step: Step | undefined;
}

export function VotePanel({ vote, tally, emit, step }: Props) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [budget, setBudget] = useState(step?.vote?.budget ?? 3);
  const [maxPerItem, setMaxPerItem] = useState(step?.vote?.maxPerItem ?? budget);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<{ ok: boolean; error?: { code: string } }>) => {
    setBusy(true);
    setError(null);
    const res = await action();
    if (!res.ok) setError(errorText(res.error?.code));
    setBusy(false);
  };
  const open = () => run(() => emit(Events.voteOpen, { budget, maxPerItem: Math.min(maxPerItem, budget) }));
  const close = () => vote && run(() => emit(Events.voteClose, { voteId: vote.id }));
  const isOpen = vote?.status === 'open';

  return (
    <section className="card" aria-labelledby="vote-title">
      <h2 id="vote-title">{t.facilitator.voteTitle}</h2>
      {isOpen ? (
        <>
          <p className="status-line status-line--live">{t.facilitator.voteOpen}</p>
          <Turnout tally={tally} voteId={vote.id} />
          <button type="button" className="button button--danger" onClick={close} disabled={busy}>
            {t.facilitator.closeVote}
          </button>
        </>
      ) : step ? (
        <>
          <p>{t.facilitator.voteIntro}</p>
          <div className="choice-row">
            <div className="field">
              <label htmlFor="budget">{t.facilitator.budget}</label>
              <select id="budget" value={budget} onChange={(e) => setBudget(Number(e.target.value))}>
                {BUDGETS.filter((b) => b <= LIMITS.dotBudgetMax).map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="max-per-item">{t.facilitator.maxPerItem}</label>
              <select id="max-per-item" value={Math.min(maxPerItem, budget)} onChange={(e) => setMaxPerItem(Number(e.target.value))}>
                {BUDGETS.filter((b) => b <= budget).map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <button type="button" className="button button--primary" onClick={open} disabled={busy}>
            {vote ? t.facilitator.newVote : t.facilitator.openVote}
          </button>
        </>
      ) : null}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {vote && (
        <div className="vote-result">
          {!isOpen && (
            <>
              <p className="status-line">{t.facilitator.voteClosed}</p>
              <Turnout tally={tally} voteId={vote.id} />
            </>
          )}
          <VoteChart vote={vote} tally={tally} />
        </div>
      )}
    </section>
  );
}
