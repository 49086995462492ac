/**
 * The table host (gespreksleider): the table's board with moderation rights (hide and show
 * points) for this one table, and its calls to the front.
 */
import { Events } from '../../shared/protocol';
import { POINT_STEPS } from '../../shared/agenda';
import { useI18n } from '../i18n/I18n';
import { ConnectionBadge, ReloadNotice } from '../components/ConnectionStatus';
import { Notice, TopBar } from '../components/Page';
import { StepHeader } from '../components/StepHeader';
import { useErrorText } from '../components/useErrorText';
import { useClockSync } from '../lib/serverClock';
import { position } from '../lib/steps';
import { hostKey } from '../lib/storage';
import { useSessionSocket } from '../lib/useSessionSocket';
import { Board } from '../tablet/Board';
import { useTableDoc } from '../tablet/useTableDoc';

export function HostView({ sessionId, table }: { sessionId: string; table: number }) {
  const { t } = useI18n();
  const key = hostKey(sessionId, table);
  if (!key) {
    return (
      <Notice title={t.host.title(table)}>
        <p>{t.host.noKey}</p>
      </Notice>
    );
  }
  return <Host sessionId={sessionId} table={table} secret={key} />;
}

function Host({ sessionId, table, secret }: { sessionId: string; table: number; secret: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const conn = useSessionSocket(sessionId, { role: 'host', table, key: secret });
  useClockSync(conn);
  const tableDoc = useTableDoc(sessionId, table, `host.${secret}`);
  const { session } = conn;
  const row = conn.overview?.find((r) => r.table === table);

  if (conn.status === 'reload') return <ReloadNotice />;
  if (conn.status === 'refused') {
    return (
      <Notice title={t.host.title(table)}>
        <p role="alert">{errorText(conn.refusal?.code)}</p>
      </Notice>
    );
  }
  const pos = session ? position(session) : null;
  return (
    <div className="page tablet">
      <TopBar>
        <span className="topbar__title">{t.host.title(table)}</span>
        <ConnectionBadge status={conn.status} />
      </TopBar>
      <main className="tablet__main">
        {!session || !pos ? (
          <p>{t.common.loading}</p>
        ) : (
          <>
            <StepHeader session={session} />
            {row && (row.help || row.ready) && (
              <div className="table-signals">
                {row.help && (
                  <p className="table-tile__signal table-tile__signal--help">
                    {t.signals.helpBadge}
                    <button type="button" className="button button--small" onClick={() => void conn.emit(Events.tableClearSignal, { table, signal: 'help' })}>
                      {t.signals.clear}
                    </button>
                  </p>
                )}
                {row.ready && <p className="table-tile__signal table-tile__signal--ready">{t.signals.readyBadge}</p>}
              </div>
            )}
            {tableDoc?.ready ? (
              <Board
                table={tableDoc}
                themes={session.themes}
                roundId={pos.current?.round.id ?? null}
                stepId={pos.current?.step.id ?? null}
                canAdd={pos.status === 'running' && pos.current !== undefined && POINT_STEPS.has(pos.current.step.type)}
                host
                suggest={pos.status === 'running' && pos.current?.step.type === 'clusteren'}
              />
            ) : (
              <p>{t.tablet.syncing}</p>
            )}
          </>
        )}
      </main>
    </div>
  );
}
