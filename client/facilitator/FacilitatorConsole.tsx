/** The facilitator's laptop: links to hand out, how the tables are doing, and the vote. */
import { useI18n } from '../i18n/I18n';
import { NavLink } from '../components/NavLink';
import { ConnectionBadge, ReloadNotice } from '../components/ConnectionStatus';
import { CopyField } from '../components/CopyField';
import { Notice, TopBar } from '../components/Page';
import { useErrorText } from '../components/useErrorText';
import { facilitatorKey } from '../lib/storage';
import { useSessionSocket } from '../lib/useSessionSocket';
import { useClockSync } from '../lib/serverClock';
import { position } from '../lib/steps';
import { ConnectionModePanel } from './ConnectionModePanel';
import { ConsoleControlBar, TableAlerts } from './ConsoleAlerts';
import { EvaluationPanel } from './EvaluationPanel';
import { ProjectorPanel } from './ProjectorPanel';
import { RolesPanel } from './RolesPanel';
import { RunPanel } from './RunPanel';
import { TablesOverview } from './TablesOverview';
import { VotePanel } from './VotePanel';

export function MissingKey() {
  const { t } = useI18n();
  return (
    <Notice title={t.facilitator.noKeyTitle}>
      <p>{t.facilitator.noKey}</p>
    </Notice>
  );
}

export function FacilitatorConsole({ sessionId }: { sessionId: string }) {
  const key = facilitatorKey(sessionId);
  return key ? <Console sessionId={sessionId} secret={key} /> : <MissingKey />;
}

function Console({ sessionId, secret }: { sessionId: string; secret: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const conn = useSessionSocket(sessionId, { role: 'facilitator', key: secret });
  useClockSync(conn);
  const { session } = conn;

  if (conn.status === 'reload') return <ReloadNotice />;
  if (conn.status === 'refused') {
    return (
      <Notice title={t.facilitator.noKeyTitle}>
        <p role="alert">{errorText(conn.refusal?.code)}</p>
      </Notice>
    );
  }

  const origin = window.location.origin;
  const step = session ? position(session).current?.step : undefined;
  return (
    <div className="page">
      <TopBar>
        <span className="topbar__title">{t.facilitator.console}</span>
        <ConnectionBadge status={conn.status} />
      </TopBar>
      {!session ? (
        <main className="console">
          <p>{t.common.loading}</p>
        </main>
      ) : (
        <main className="console">
          <div className="console__head">
            <h1>{session.title}</h1>
            <p className="console__code">
              {t.facilitator.joinCode}: <strong className="code">{session.joinCode}</strong>
            </p>
          </div>
          <ConsoleControlBar conn={conn} />
          <TableAlerts tables={conn.overview} emit={conn.emit} />
          <div className="console__grid">
            <div className="stack">
              {/* In a voting step the vote is the main thing to do, so it comes first. */}
              {step?.type === 'stemmen' && <VotePanel vote={session.vote} tally={conn.tally} kind={session.kind} emit={conn.emit} step={step} />}
              <RunPanel session={session} emit={conn.emit} />
              {step?.type !== 'stemmen' && session.vote && (
                <VotePanel vote={session.vote} tally={conn.tally} kind={session.kind} emit={conn.emit} step={undefined} />
              )}
              {conn.evaluations.map((summary) => (
                <EvaluationPanel key={summary.stepId} summary={summary} />
              ))}
              <TablesOverview tables={conn.overview} voting={session.vote?.status === 'open'} emit={conn.emit} />
            </div>
            <div className="stack">
              <ProjectorPanel data={{ session, tally: conn.tally, board: conn.board, plenary: conn.plenary }} emit={conn.emit} />
              <section className="card" aria-labelledby="links-title">
                <h2 id="links-title">{t.facilitator.linksTitle}</h2>
                <CopyField label={t.facilitator.privateLink} hint={t.facilitator.privateLinkHint} value={`${origin}/f/${sessionId}#key=${secret}`} />
                <CopyField label={t.facilitator.joinLink} value={session.joinUrl} />
              </section>
              <RolesPanel sessionId={sessionId} joinUrl={session.joinUrl} emit={conn.emit} />
              <ConnectionModePanel />
              <section className="card" aria-labelledby="plenary-title">
                <h2 id="plenary-title">{t.plenary.title}</h2>
                <p>{t.plenary.consoleHint(conn.plenary?.points.length ?? 0)}</p>
                <NavLink to={`/f/${sessionId}/plenair`} className="button">
                  {t.plenary.open}
                </NavLink>
              </section>
              <section className="card" aria-labelledby="report-title">
                <h2 id="report-title">{t.facilitator.reportTitle}</h2>
                <NavLink to={`/f/${sessionId}/verslag`} className="button">
                  {t.facilitator.reportLink}
                </NavLink>
              </section>
            </div>
          </div>
        </main>
      )}
    </div>
  );
}
