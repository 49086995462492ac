/**
 * Sends a ballot and turns a refusal into words for the voter. The ballot id comes from the
 * caller, who keeps it, so a resend replaces the same ballot on the server.
 */
import { useState } from 'react';
import { Events, type ErrorCode, type VoteView } from '../../../shared/protocol';
import { useI18n } from '../../i18n/I18n';
import { useErrorText } from '../../components/useErrorText';
import type { BallotChoices } from '../../lib/storage';
import type { SessionConnection } from '../../lib/useSessionSocket';

export type SendResult = { ok: true } | { ok: false; code: ErrorCode | 'network' | 'timeout' };

export function useSendBallot(vote: VoteView, emit: SessionConnection['emit']) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async (ballotId: string, choices: BallotChoices, seat?: number): Promise<SendResult> => {
    setSending(true);
    setError(null);
    const res = await emit(Events.ballotSubmit, { voteId: vote.id, ballotId, ...(seat !== undefined && { seat }), choices });
    setSending(false);
    if (res.ok) return { ok: true };
    // The shared error text speaks of dots; a points ballot has its own words.
    setError(res.error.code === 'over_budget' && vote.method === 'points' ? t.ballot.points.overBudget : errorText(res.error.code));
    return { ok: false, code: res.error.code };
  };

  return { send, sending, error, setError };
}
