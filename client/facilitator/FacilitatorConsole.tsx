/** The facilitator's laptop: links to hand out, how the tables are doing, and the vote. */
import { useI18n } from '../i18n/I18n';
import { ConnectionBadge, ReloadNotice } from '../components/ConnectionStatus';
import { CopyField } from '../components/CopyField';
import { Notice, TopBar } from '../components/Page';
import { useErrorText } from '../components/useErrorText';
import { navigate } from '../lib/router';
import { facilitatorKey } from '../lib/storage';
import { useSessionSocket } from '../lib/useSessionSocket';
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
            <p className="lead">{session.question}</p>
            <p className="console__code">
              {t.facilitator.joinCode}: <strong className="code">{session.joinCode}</strong>
            </p>
          </div>
          <div className="console__grid">
            <div className="stack">
              <VotePanel vote={session.vote} tally={conn.tally} emit={conn.emit} />
              <TablesOverview tables={conn.overview} />
            </div>
            <div className="stack">
              <section className="card" aria-labelledby="links-title">
                <h2 id="links-title">{t.facilitator.linksTitle}</h2>
                <CopyField label={t.facilitator.privateLink} hint={t.facilitator.privateLinkHint} value={`${origin}/f/${sessionId}#key=${secret}`} />
                <div className="field">
                  <span className="field__label">{t.facilitator.projectorLink}</span>
                  <a className="button button--primary" href={`/p/${sessionId}`} target="_blank" rel="noopener">
                    {t.facilitator.openProjector}
                  </a>
                </div>
                <CopyField label={t.facilitator.joinLink} value={session.joinUrl} />
              </section>
              <section className="card" aria-labelledby="report-title">
                <h2 id="report-title">{t.facilitator.reportTitle}</h2>
                <a
                  className="button"
                  href={`/f/${sessionId}/verslag`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/f/${sessionId}/verslag`);
                  }}
                >
                  {t.facilitator.reportLink}
                </a>
              </section>
            </div>
          </div>
        </main>
      )}
    </div>
  );
}
