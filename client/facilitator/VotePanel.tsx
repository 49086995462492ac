/** Opening and closing a vote with its method and subject, and its live result while it runs. */
import { useState } from 'react';
import type { Step } from '../../shared/agenda';
import { Events, type SessionKind, type Tally, type VoteSettings, type VoteView } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { Turnout, VoteChart } from '../components/VoteChart';
import { ResultByTable } from './ResultByTable';
import { useMethodLabel } from '../components/voteLabels';
import { useErrorText } from '../components/useErrorText';
import type { SessionConnection } from '../lib/useSessionSocket';
import { cleanVoteSettings, VoteSettingsFields } from './VoteSettingsFields';

interface Props {
  vote: VoteView | null;
  tally: Tally | null;
  kind: SessionKind;
  emit: SessionConnection['emit'];
  /** The current voting step; without one, a vote can only be closed and read. */
  step: Step | undefined;
}

export function VotePanel({ vote, tally, kind, emit, step }: Props) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const methodLabel = useMethodLabel();
  const [settings, setSettings] = useState<VoteSettings>(step?.vote ?? { method: 'dots' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Each voting step starts from its own settings.
  const [source, setSource] = useState({ id: step?.id, vote: step?.vote });
  if (source.id !== step?.id || source.vote !== step?.vote) {
    setSource({ id: step?.id, vote: step?.vote });
    setSettings(step?.vote ?? { method: 'dots' });
  }

  const run = async (action: () => Promise<{ ok: boolean; error?: { code: string } }>) => {
    setBusy(true);
    setError(null);
    const res = await action();
    if (!res.ok) setError(errorText(res.error?.code));
    setBusy(false);
  };
  const open = () => run(() => emit(Events.voteOpen, cleanVoteSettings(settings)));
  const close = () => vote && run(() => emit(Events.voteClose, { voteId: vote.id }));
  const isOpen = vote?.status === 'open';

  return (
    <section className="card" aria-labelledby="vote-title">
      <h2 id="vote-title">{t.facilitator.voteTitle}</h2>
      {isOpen ? (
        <>
          <p className="status-line status-line--live">{t.facilitator.voteOpen}</p>
          <p>{methodLabel(vote)}</p>
          <Turnout tally={tally} voteId={vote.id} />
          {vote.blind && <p className="field__hint">{t.facilitator.blindNote}</p>}
          <button type="button" className="button button--danger" onClick={close} disabled={busy}>
            {t.facilitator.closeVote}
          </button>
        </>
      ) : step ? (
        <>
          <button type="button" className="button button--primary button--large" onClick={open} disabled={busy}>
            {vote ? t.facilitator.newVote : t.facilitator.openVote}
          </button>
          <details className="collapsible">
            <summary>{t.facilitator.voteSettings}</summary>
            <p>{t.facilitator.voteIntro}</p>
            <VoteSettingsFields value={settings} kind={kind} onChange={setSettings} disabled={busy} />
          </details>
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
          <ResultByTable vote={vote} tally={tally} />
        </div>
      )}
    </section>
  );
}
