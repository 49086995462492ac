/**
 * A tablet at a table. It follows the facilitator: each step type has its own screen, and what
 * does not belong to the step is not offered (the server refuses it as well).
 */
import { useCallback, useEffect, useState, useTransition } from 'react';
import { POINT_STEPS } from '../../shared/agenda';
import { Events, type DeviceState, type SessionView, type Theme } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { ConnectionBadge, ReloadNotice } from '../components/ConnectionStatus';
import { Notice, TopBar } from '../components/Page';
import { StepHeader } from '../components/StepHeader';
import { useErrorText } from '../components/useErrorText';
import { navigate } from '../lib/router';
import { useClockSync } from '../lib/serverClock';
import { position } from '../lib/steps';
import { deviceToken, lastKnownTablet } from '../lib/storage';
import { useSessionSocket, type SessionConnection } from '../lib/useSessionSocket';
import { Ballot } from './Ballot';
import { Board } from './Board';
import { Evaluation } from './Evaluation';
import { TableFeedback } from './TableFeedback';
import { TablePicker } from './TablePicker';
import { TableSignals } from './TableSignals';
import { TopChooser } from './TopChooser';
import { useLastKnown } from './useLastKnown';
import { useWakeLock } from './useWakeLock';
import { useTableDoc, type TableDoc } from './useTableDoc';

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
  useClockSync(conn);
  useWakeLock();
  // Without the laptop (a reload with no Wi-Fi), what it last said: the board still opens.
  const { session, device } = useLastKnown(sessionId, conn);
  const { emit, status } = conn;
  const [picking, setPicking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Busy while a choice of table is on its way to the laptop.
  const [busy, startPick] = useTransition();

  const pick = useCallback(
    (table: number) =>
      startPick(async () => {
        const res = await emit(Events.deviceJoinTable, { table });
        startPick(() => {
          if (res.ok) {
            setPicking(false);
            setError(null);
          } else setError(res.error.code);
        });
      }),
    [emit],
  );

  // The table chosen on the join page arrives as ?tafel=N; apply it once connected.
  useEffect(() => {
    const wanted = Number(new URLSearchParams(window.location.search).get('tafel'));
    if (status !== 'online' || !device || !wanted) return;
    navigate(`/t/${sessionId}`, { replace: true });
    if (device.table !== wanted) pick(wanted);
  }, [status, device, sessionId, pick]);

  if (status === 'reload') return <ReloadNotice />;
  if (status === 'refused') {
    // The server no longer knows this device (e.g. a new session file): start over.
    if (conn.refusal?.code === 'unauthorized') {
      deviceToken.clear(sessionId);
      lastKnownTablet.clear(sessionId);
    }
    return (
      <Notice title={t.tablet.notJoinedTitle}>
        <p role="alert">{errorText(conn.refusal?.code)}</p>
      </Notice>
    );
  }

  const table = device?.table ?? null;
  const pos = session ? position(session) : null;
  const choosing = table === null || picking || Boolean(device?.mustPickTable);

  return (
    <div className="page tablet">
      <TopBar>
        {table !== null && !choosing && (
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
        {!session || !device || !pos ? (
          <p>{t.common.loading}</p>
        ) : (
          <>
            <StepHeader session={session} />
            {error && (
              <p className="error" role="alert">
                {errorText(error)}
              </p>
            )}
            {choosing ? (
              <>
                {device.mustPickTable && table !== null && (
                  <>
                    <p className="lead">{t.device.pickAgain}</p>
                    <button type="button" className="button button--primary button--wide" disabled={busy} onClick={() => pick(table)}>
                      {t.device.stay(table)}
                    </button>
                  </>
                )}
                <TablePicker tables={session.tables} current={table} onPick={pick} busy={busy} />
              </>
            ) : (
              <SeatedTablet session={session} device={device} conn={conn} sessionId={sessionId} table={table} token={token} />
            )}
            <p className="device-label">{t.device.label(device.label)}</p>
          </>
        )}
      </main>
    </div>
  );
}

function SeatedTablet({
  session,
  device,
  conn,
  sessionId,
  table,
  token,
}: {
  session: SessionView;
  device: DeviceState;
  conn: SessionConnection;
  sessionId: string;
  table: number;
  token: string;
}) {
  const { t } = useI18n();
  const tableDoc = useTableDoc(sessionId, table, `device.${token}`);
  const pos = position(session);
  const vote = session.vote;
  // What the laptop last said this device voted in, plus ballots it took in since.
  const [votedIn, setVotedIn] = useState<string[]>(device.votedIn);
  const [votedFrom, setVotedFrom] = useState(device);
  if (votedFrom !== device) {
    setVotedFrom(device);
    setVotedIn(device.votedIn);
  }
  /** The vote whose ballot is on screen; it stays after closing until the user goes back. */
  const [ballotVote, setBallotVote] = useState<string | null>(vote?.status === 'open' ? vote.id : null);
  const [seenVote, setSeenVote] = useState({ id: vote?.id, status: vote?.status });
  if (seenVote.id !== vote?.id || seenVote.status !== vote?.status) {
    setSeenVote({ id: vote?.id, status: vote?.status });
    if (vote?.status === 'open') setBallotVote(vote.id);
  }

  const type = pos.status === 'running' ? pos.current?.step.type : undefined;
  // A closed ballot stays on screen (with why it closed) only while the voting step lasts.
  const showBallot = vote !== null && (vote.status === 'open' || (ballotVote === vote.id && type === 'stemmen'));
  let screen: React.ReactNode;
  if (vote && showBallot) {
    screen = (
      <Ballot
        vote={vote}
        device={device}
        themes={session.themes}
        plenaryThemes={conn.plenary?.themes ?? []}
        votedHere={votedIn.includes(vote.id)}
        emit={conn.emit}
        onReceived={(id) => setVotedIn((v) => (v.includes(id) ? v : [...v, id]))}
        onDone={() => setBallotVote(null)}
      />
    );
  } else if (pos.status !== 'running' || !type) {
    screen = <p className="lead">{pos.status === 'lobby' ? t.run.lobbyText : t.run.endedText}</p>;
  } else if (POINT_STEPS.has(type)) {
    screen = (
      <>
        <p className="step-help">{t.stepHelp[type]}</p>
        <TableBoard
          tableDoc={tableDoc}
          themes={session.themes}
          roundId={pos.current!.round.id}
          stepId={pos.current!.step.id}
          canAdd
          suggest={type === 'clusteren'}
        />
      </>
    );
  } else if (type === 'prioriteren') {
    screen = tableDoc?.ready ? <TopChooser doc={tableDoc.doc} roundId={pos.current!.round.id} themes={session.themes} /> : <p>{t.tablet.syncing}</p>;
  } else if (type === 'evaluatie') {
    screen = <Evaluation key={pos.current!.step.id} stepId={pos.current!.step.id} emit={conn.emit} />;
  } else if (type === 'terugkoppeling') {
    screen = <TableFeedback session={session} table={table} tally={conn.tally} />;
  } else {
    screen = <p className="lead">{t.stepHelp[type]}</p>;
  }

  return (
    <>
      {screen}
      {pos.status === 'running' && <TableSignals signals={device.signals} emit={conn.emit} />}
    </>
  );
}

function TableBoard({
  tableDoc,
  themes,
  roundId,
  stepId,
  canAdd,
  suggest,
}: {
  tableDoc: TableDoc | null;
  themes: Theme[];
  roundId: string;
  stepId: string;
  canAdd: boolean;
  suggest: boolean;
}) {
  const { t } = useI18n();
  if (!tableDoc?.ready) return <p>{t.tablet.syncing}</p>;
  return <Board table={tableDoc} themes={themes} roundId={roundId} stepId={stepId} canAdd={canAdd} suggest={suggest} />;
}
