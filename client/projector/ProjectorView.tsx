/**
 * The screen on the wall. Large type, high contrast, no controls and no secrets: it connects
 * as a viewer, so even a curious hand on the projector laptop cannot change anything here.
 */
import { useI18n } from '../i18n/I18n';
import { ReloadNotice } from '../components/ConnectionStatus';
import { Turnout, VoteChart } from '../components/VoteChart';
import { useErrorText } from '../components/useErrorText';
import { useSessionSocket } from '../lib/useSessionSocket';
import { JoinCard } from './JoinCard';

const VIEWER = { role: 'viewer' } as const;

export function ProjectorView({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { session, tally, status, refusal } = useSessionSocket(sessionId, VIEWER);

  if (status === 'reload') return <ReloadNotice />;
  if (status === 'refused') {
    return (
      <main className="projector projector--message">
        <h1>{errorText(refusal?.code)}</h1>
      </main>
    );
  }
  if (!session) {
    return (
      <main className="projector projector--message">
        <p>{t.common.loading}</p>
      </main>
    );
  }

  const vote = session.vote;
  return (
    <main className={`projector${vote ? ' projector--vote' : ''}`}>
      {status === 'offline' && (
        <p className="projector__offline" role="status">
          {t.connection.offline}
        </p>
      )}
      <div className="projector__main">
        <h1 className="projector__title">{session.title}</h1>
        {vote ? (
          <section aria-labelledby="projector-vote">
            <h2 id="projector-vote" className="projector__subtitle">
              {vote.status === 'open' ? t.projector.live : t.projector.results}
            </h2>
            <Turnout tally={tally} voteId={vote.id} />
            <VoteChart vote={vote} tally={tally} limit={10} size="large" colors={{ bar: '#ffd166', text: '#ffffff' }} />
          </section>
        ) : (
          <section aria-labelledby="projector-question">
            <h2 id="projector-question" className="projector__subtitle">
              {t.projector.question}
            </h2>
            <p className="projector__question">{session.question}</p>
          </section>
        )}
      </div>
      <JoinCard joinUrl={session.joinUrl} joinCode={session.joinCode} compact={Boolean(vote)} />
    </main>
  );
}
