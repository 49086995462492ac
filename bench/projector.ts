/**
 * The projector (a viewer screen) as the orchestrator runs it: it records when each tally
 * arrived and how many ballots it counted, to match ballots against later (see votePhase.ts).
 */
import { now, sleep } from './clock.js';
import { connect, type AppSocket } from './client.js';
import { Events, type Tally } from '../shared/protocol.js';

export interface Projector {
  socket: AppSocket;
  /** Arrival time and ballot count of each tally, oldest first. */
  tallies: { at: number; ballots: number; voteId: string }[];
  /** Times the server dropped its connection (it reconnects); tallies sent meanwhile never arrive. */
  drops(): number;
  waitForBallots(voteId: string, n: number, timeoutMs: number): Promise<boolean>;
  close(): void;
}

/** `sessionId` null: a plain socket to the bare baseline server. `log` hears of dropped connections. */
export async function openProjector(url: string, sessionId: string | null, log: (line: string) => void): Promise<Projector> {
  // The bare server knows no sessions; the role tells it this socket is the screen that gets tallies.
  const { socket } = await connect(url, sessionId ? { role: 'viewer', sessionId } : { role: 'screen' }, { reconnect: true });
  let drops = 0;
  socket.on('disconnect', (reason) => {
    if (reason === 'io client disconnect') return;
    drops += 1;
    log(`the projector lost its connection (${reason}); it reconnects`);
  });
  socket.on('connect', () => {
    if (drops > 0) log('the projector is connected again');
  });
  const tallies: Projector['tallies'] = [];
  socket.on(Events.voteTally, (t: Tally) => tallies.push({ at: now(), ballots: t.ballots, voteId: t.voteId }));
  return {
    socket,
    tallies,
    drops: () => drops,
    async waitForBallots(voteId, n, timeoutMs) {
      const deadline = now() + timeoutMs;
      const reached = () => tallies.some((t) => t.voteId === voteId && t.ballots >= n);
      while (!reached() && now() < deadline) await sleep(20);
      return reached();
    },
    close: () => socket.disconnect(),
  };
}
