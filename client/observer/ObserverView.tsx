/** Read-only live view for council members, the monitoring group and the press. */
import { flatten } from '../../shared/agenda';
import { useI18n } from '../i18n/I18n';
import { ConnectionBadge, ReloadNotice } from '../components/ConnectionStatus';
import { Notice, TopBar } from '../components/Page';
import { StepTimer } from '../components/StepTimer';
import { useErrorText } from '../components/useErrorText';
import { StageContent } from '../projector/StageContent';
import { useClockSync } from '../lib/serverClock';
import { position, stepName, stepTitle } from '../lib/steps';
import { useSessionSocket } from '../lib/useSessionSocket';

const VIEWER = { role: 'viewer' } as const;

export function ObserverView({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const conn = useSessionSocket(sessionId, VIEWER);
  useClockSync(conn);
  const { session } = conn;

  if (conn.status === 'reload') return <ReloadNotice />;
  if (conn.status === 'refused') return <Notice title={errorText(conn.refusal?.code)} />;

  const pos = session ? position(session) : null;
  return (
    <div className="page">
      <TopBar>
        <span className="topbar__title">{t.observer.title}</span>
        <ConnectionBadge status={conn.status} />
      </TopBar>
      {!session || !pos ? (
        <p className="page--narrow">{t.common.loading}</p>
      ) : (
        <main className="console">
          <p className="field__hint">{t.observer.readOnly}</p>
          <h1>{session.title}</h1>
          <div className="console__grid">
            <section className="card">
              <div className="run-panel__now">
                <p className="run-panel__step">{stepName(t, pos)}</p>
                <StepTimer timer={pos.status === 'running' ? session.run.timer : null} />
              </div>
              <StageContent
                session={session}
                tally={conn.tally}
                board={conn.board}
                plenary={conn.plenary}
                size="normal"
                colors={{ bar: '#0b5cad', text: '#1a1a1a' }}
              />
            </section>
            <section className="card" aria-labelledby="observer-agenda">
              <h2 id="observer-agenda">{t.run.agendaTitle}</h2>
              <ol className="agenda-list__plain">
                {flatten(session.agenda).map((f) => (
                  <li
                    key={f.step.id}
                    aria-current={f.step.id === session.run.stepId ? 'step' : undefined}
                    className={f.step.id === session.run.stepId ? 'agenda-list__item--now' : undefined}
                  >
                    {f.round.title ?? t.run.round(f.roundIndex + 1)}: {stepTitle(t, f.step)}
                  </li>
                ))}
              </ol>
            </section>
          </div>
        </main>
      )}
    </div>
  );
}
