/**
 * One socket.io connection to a session, in one role. Keeps the latest state the server
 * pushed; the server sends the full state on every (re)connect, so a tablet that slept or
 * lost Wi-Fi is up to date as soon as it is back.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { EvaluationSummary } from '../../shared/evaluation';
import {
  Events,
  PROTOCOL_VERSION,
  SESSION_QUERY,
  type Ack,
  type ClientToServerEvents,
  type ConsoleControl,
  type DeviceState,
  type ErrorCode,
  type ErrorInfo,
  type PlenaryBoard,
  type ServerToClientEvents,
  type SessionView,
  type Tally,
  type TableBoard,
  type TableOverview,
} from '../../shared/protocol';

export type Credentials =
  { role: 'facilitator'; key: string } | { role: 'device'; token: string } | { role: 'host'; table: number; key: string } | { role: 'viewer' };

export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'reload' | 'refused';

type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Payload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type Result<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;

/** An acknowledgement, or a failure that never reached the server ('network', 'timeout'). */
export type EmitResult<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode | 'network' | 'timeout'; message: string } };

export interface SessionConnection {
  status: ConnectionStatus;
  /** Why the server refused the connection, when status is 'refused'. */
  refusal: ErrorInfo | null;
  session: SessionView | null;
  tally: Tally | null;
  overview: TableOverview[] | null;
  device: DeviceState | null;
  /** The board in the projector's spotlight, when there is one. */
  board: TableBoard | null;
  /** The plenary board, as the facilitator harvested and edited it. */
  plenary: PlenaryBoard | null;
  /** Evaluation results per step (facilitator only). */
  evaluations: EvaluationSummary[];
  /** Facilitator consoles open on this session and which has control (facilitator only). */
  consoles: ConsoleControl | null;
  /** This connection's id, to tell this console from the others. */
  socketId: string | null;
  /** The last change another console made (facilitator only). */
  acted: { event: string; at: number } | null;
  emit: <E extends keyof ClientToServerEvents>(event: E, payload: Payload<E>) => Promise<EmitResult<Result<E>>>;
}

const ACK_TIMEOUT_MS = 10_000;

export function useSessionSocket(sessionId: string, credentials: Credentials | null): SessionConnection {
  const credKey = credentials ? JSON.stringify(credentials) : null;
  // The status belongs to one connection: a new session or role starts at 'connecting', and the
  // socket that was closed for it has no say any more.
  const connKey = `${sessionId}\n${credKey}`;
  const [statusOf, setStatusOf] = useState<{ connKey: string; status: ConnectionStatus }>({ connKey, status: 'connecting' });
  const status = statusOf.connKey === connKey ? statusOf.status : 'connecting';
  const [refusal, setRefusal] = useState<ErrorInfo | null>(null);
  const [session, setSession] = useState<SessionView | null>(null);
  const [tally, setTally] = useState<Tally | null>(null);
  const [overview, setOverview] = useState<TableOverview[] | null>(null);
  const [device, setDevice] = useState<DeviceState | null>(null);
  const [board, setBoard] = useState<TableBoard | null>(null);
  const [plenary, setPlenary] = useState<PlenaryBoard | null>(null);
  const [evaluations, setEvaluations] = useState<EvaluationSummary[]>([]);
  const [consoles, setConsoles] = useState<ConsoleControl | null>(null);
  const [socketId, setSocketId] = useState<string | null>(null);
  const [acted, setActed] = useState<{ event: string; at: number } | null>(null);
  const socketRef = useRef<AppSocket | null>(null);

  useEffect(() => {
    if (!credKey) return;
    const cred = JSON.parse(credKey) as Credentials;
    const setStatus = (next: ConnectionStatus) => setStatusOf({ connKey, status: next });
    const socket: AppSocket = io({
      auth: { protocol: PROTOCOL_VERSION, sessionId, ...cred },
      query: { [SESSION_QUERY]: sessionId },
      // Tablets on a flaky room network: keep trying, but not in a tight loop.
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    socketRef.current = socket;
    socket.on('connect', () => {
      setStatus('online');
      setSocketId(socket.id ?? null);
      setRefusal(null);
    });
    socket.on('disconnect', () => setStatus('offline'));
    socket.on('connect_error', (err) => {
      const data = (err as Error & { data?: ErrorInfo }).data;
      if (data?.code === 'protocol_mismatch') setStatus('reload');
      else if (data?.code) {
        setStatus('refused');
        setRefusal(data);
      } else setStatus('offline');
    });
    socket.on(Events.sessionState, setSession);
    socket.on(Events.voteTally, setTally);
    socket.on(Events.tablesOverview, setOverview);
    socket.on(Events.deviceState, setDevice);
    socket.on(Events.tableBoard, setBoard);
    socket.on(Events.plenaryBoard, setPlenary);
    socket.on(Events.consoleControl, setConsoles);
    socket.on(Events.consoleActed, ({ event }) => setActed({ event, at: Date.now() }));
    socket.on(Events.evaluationSummary, (s) => setEvaluations((all) => [...all.filter((x) => x.stepId !== s.stepId), s]));
    return () => {
      socket.disconnect();
      socketRef.current = null;
    };
  }, [sessionId, credKey, connKey]);

  const emit = useCallback(
    <E extends keyof ClientToServerEvents>(event: E, payload: Payload<E>): Promise<EmitResult<Result<E>>> =>
      emitWithAck(socketRef.current, event, payload).then((res) => {
        // The device's new table is known at once, not only with the next push.
        if (res.ok && event === Events.deviceJoinTable) setDevice(res.data as DeviceState);
        return res;
      }),
    [],
  );

  return { status, refusal, session, tally, overview, device, board, plenary, evaluations, consoles, socketId, acted, emit };
}

/** Sends one event and waits for its acknowledgement, or says why none came. */
function emitWithAck<E extends keyof ClientToServerEvents>(socket: AppSocket | null, event: E, payload: Payload<E>): Promise<EmitResult<Result<E>>> {
  return new Promise((resolve) => {
    if (!socket?.connected) {
      resolve({ ok: false, error: { code: 'network', message: 'offline' } });
      return;
    }
    const untyped = socket as unknown as {
      timeout(ms: number): { emit(e: string, p: unknown, cb: (err: Error | null, res: Ack<Result<E>>) => void): void };
    };
    untyped.timeout(ACK_TIMEOUT_MS).emit(event, payload, (err, res) => {
      if (err) resolve({ ok: false, error: { code: 'timeout', message: 'no answer in time' } });
      else resolve(res);
    });
  });
}
