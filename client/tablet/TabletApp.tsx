/** A tablet at a table: pick the table, then the board, or the ballot while a vote is open. */
import { useEffect, useState } from 'react';
import { Events, type Theme } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { ConnectionBadge, ReloadNotice } from '../components/ConnectionStatus';
import { Notice, TopBar } from '../components/Page';
import { useErrorText } from '../components/useErrorText';
import { navigate } from '../lib/router';
import { deviceToken } from '../lib/storage';
import { useSessionSocket } from '../lib/useSessionSocket';
import { Ballot } from './Ballot';
import { Board } from './Board';
import { TablePicker } from './TablePicker';
import { useTableDoc } from './useTableDoc';

export function TabletApp({ sessionId }: { sessionId: string }) {
  const token = deviceToken.get(sessionId);
  return token ? <Tablet sessionId={sessionId} token={token} /> : <NotJoined />;
}

function NotJoined() {
  const { t } = useI18n();
  return (
    <Notice title={t.tablet.notJoinedTitle}>
      <p>{t.tablet.notJoined}</p>
    </Notice>
  );
}

function Tablet({ sessionId, token }: { sessionId: string; token: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const conn = useSessionSocket(sessionId, { role: 'device', token });
  const { session, device, emit, status } = conn;
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [votedIn, setVotedIn] = useState<string[]>([]);
  /** The vote whose ballot is on screen; it stays after closing until the user goes back. */
  const [ballotVote, setBallotVote] = useState<string | null>(null);

  const pick = async (table: number) => {
    setBusy(true);
    const res = await emit(Events.deviceJoinTable, { table });
    setBusy(false);
    if (res.ok) {
      setPicking(false);
      setError(null);
    } else setError(res.error.code);
  };

  // The table chosen on the join page arrives as ?tafel=N; apply it once connected.
  useEffect(() => {
    const wanted = Number(new URLSearchParams(window.location.search).get('tafel'));
    if (status !== 'online' || !device || !wanted) return;
    navigate(`/t/${sessionId}`, { replace: true });
    if (device.table !== wanted) void pick(wanted);
  }, [status, device, sessionId]);

  useEffect(() => {
    if (device) setVotedIn(device.votedIn);
  }, [device]);

  const vote = session?.vote ?? null;
  useEffect(() => {
    if (vote?.status === 'open') setBallotVote(vote.id);
  }, [vote?.id, vote?.status]);

  if (status === 'reload') return <ReloadNotice />;
  if (status === 'refused') {
    // The server no longer knows this device (e.g. a new session file): start over.
    if (conn.refusal?.code === 'unauthorized') deviceToken.clear(sessionId);
    return (
      <Notice title={t.tablet.notJoinedTitle}>
        <p role="alert">{errorText(conn.refusal?.code)}</p>
      </Notice>
    );
  }

  const table = device?.table ?? null;
  const showBallot = vote && ballotVote === vote.id && table !== null;

  return (
    <div className="page tablet">
      <TopBar>
        {table !== null && !picking && (
          <>
            <span className="topbar__title">{t.common.table(table)}</span>
            <button type="button" className="button button--quiet" onClick={() => setPicking(true)}>
              {t.tablet.otherTable}
            </button>
          </>
        )}
        <ConnectionBadge status={status} />
      </TopBar>
      <main className="tablet__main">
        {!session || !device ? (
          <p>{t.common.loading}</p>
        ) : (
          <>
            <div className="tablet__question">
              <h1>{session.title}</h1>
              <p>{session.question}</p>
            </div>
            {error && (
              <p className="error" role="alert">
                {errorText(error)}
              </p>
            )}
            {table === null || picking ? (
              <TablePicker tables={session.tables} current={table} onPick={pick} busy={busy} />
            ) : showBallot ? (
              <Ballot
                vote={vote}
                themes={session.themes}
                votedHere={votedIn.includes(vote.id)}
                emit={emit}
                onReceived={(id) => setVotedIn((v) => (v.includes(id) ? v : [...v, id]))}
                onDone={() => setBallotVote(null)}
              />
            ) : (
              <TableBoard sessionId={sessionId} table={table} token={token} themes={session.themes} />
            )}
          </>
        )}
      </main>
    </div>
  );
}

function TableBoard({ sessionId, table, token, themes }: { sessionId: string; table: number; token: string; themes: Theme[] }) {
  const { t } = useI18n();
  const tableDoc = useTableDoc(sessionId, table, token);
  if (!tableDoc?.synced) return <p>{t.tablet.syncing}</p>;
  return <Board doc={tableDoc.doc} themes={themes} />;
}
