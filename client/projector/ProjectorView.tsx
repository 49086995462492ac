/**
 * The screen on the wall. Large type, high contrast (dark or light, as the facilitator sets),
 * no controls and no secrets: it connects as a viewer, so even a curious hand on the projector
 * laptop cannot change anything here.
 */
import { useI18n } from '../i18n/I18n';
import { ReloadNotice } from '../components/ConnectionStatus';
import { useErrorText } from '../components/useErrorText';
import { useClockSync } from '../lib/serverClock';
import { useSessionSocket } from '../lib/useSessionSocket';
import { ProjectorScreen } from './ProjectorScreen';

const VIEWER = { role: 'viewer' } as const;

export function ProjectorView({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const conn = useSessionSocket(sessionId, VIEWER);
  useClockSync(conn);
  const { session, tally, status, refusal, board } = conn;

  if (status === 'reload') return <ReloadNotice />;
  if (status === 'refused' || !session) {
    return (
      <main className="projector projector--dark projector--message">
        {status === 'refused' ? <h1>{errorText(refusal?.code)}</h1> : <p>{t.common.loading}</p>}
      </main>
    );
  }
  return (
    <div className="wall-frame">
      {status === 'offline' && (
        <p className="projector__offline" role="status">
          {t.connection.offline}
        </p>
      )}
      <ProjectorScreen session={session} tally={tally} board={board} plenary={conn.plenary} />
    </div>
  );
}
