/**
 * The screen on the wall. Large type, high contrast (dark or light, as the facilitator sets),
 * no controls and no secrets: it connects as a viewer, so even a curious hand on the projector
 * laptop cannot change anything here.
 */
import { useI18n } from '../i18n/I18n';
import { ReloadNotice } from '../components/ConnectionStatus';
import { StepTimer } from '../components/StepTimer';
import { useErrorText } from '../components/useErrorText';
import { useClockSync } from '../lib/serverClock';
import { position, stepTitle } from '../lib/steps';
import { useSessionSocket } from '../lib/useSessionSocket';
import { JoinCard } from './JoinCard';
import { StageContent } from './StageContent';

const VIEWER = { role: 'viewer' } as const;
const COLORS = { dark: { bar: '#ffd166', text: '#ffffff' }, light: { bar: '#0b5cad', text: '#111111' } };

export function ProjectorView({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const conn = useSessionSocket(sessionId, VIEWER);
  useClockSync(conn);
  const { session, tally, status, refusal, board } = conn;

  if (status === 'reload') return <ReloadNotice />;
  if (status === 'refused') {
    return (
      <main className="projector projector--dark projector--message">
        <h1>{errorText(refusal?.code)}</h1>
      </main>
    );
  }
  if (!session) {
    return (
      <main className="projector projector--dark projector--message">
        <p>{t.common.loading}</p>
      </main>
    );
  }

  const pos = position(session);
  const theme = session.projector.theme;
  const busy = Boolean(session.projector.spotlight) || pos.current?.step.type === 'stemmen' || pos.current?.step.type === 'terugkoppeling';
  return (
    <main className={`projector projector--${theme}${busy ? ' projector--busy' : ''}`}>
      {status === 'offline' && (
        <p className="projector__offline" role="status">
          {t.connection.offline}
        </p>
      )}
      <div className="projector__main">
        <header className="projector__head">
          <div>
            <h1 className="projector__title">{session.title}</h1>
            {pos.status === 'running' && pos.current && <p className="projector__step">{stepTitle(t, pos.current.step)}</p>}
          </div>
          <StepTimer timer={pos.status === 'running' ? session.run.timer : null} size="large" />
        </header>
        <StageContent session={session} tally={tally} board={board} plenary={conn.plenary} size="large" colors={COLORS[theme]} />
      </div>
      <JoinCard joinUrl={session.joinUrl} joinCode={session.joinCode} compact={busy} />
    </main>
  );
}
