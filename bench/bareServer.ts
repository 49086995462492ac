/**
 * The baseline: a socket.io server with the app's socket.io options and the same message
 * pattern as a dot vote, but no application logic. A `ballot:submit` is counted in memory and
 * acknowledged at once; a tally goes to the screens (sockets whose handshake says role
 * 'screen'; voters get none, as in the app) at most every 100 ms, with the same trailing
 * throttle as the app (server/realtime.ts), so the throttle's delay is in both measurements
 * and the ratio shows what the app itself adds: validation, SQLite, and its other pushes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { serveLoopDelay } from './loopDelay.js';

const TALLY_INTERVAL_MS = 100;

const httpServer = http.createServer();
const io = new Server(httpServer, {
  maxHttpBufferSize: 64 * 1024,
  serveClient: false,
  connectionStateRecovery: { maxDisconnectionDuration: 30_000 },
});

const totals: Record<string, number> = {};
let ballots = 0;
let pending: NodeJS.Timeout | null = null;
let lastSent = 0;
let voteId = '';

function scheduleTally() {
  if (pending) return;
  pending = setTimeout(
    () => {
      pending = null;
      lastSent = Date.now();
      io.to('screens').emit('vote:tally', { voteId, totals, ballots, eligible: io.engine.clientsCount });
    },
    Math.max(0, lastSent + TALLY_INTERVAL_MS - Date.now()),
  );
}

io.on('connection', (socket) => {
  if ((socket.handshake.auth as { role?: unknown } | undefined)?.role === 'screen') void socket.join('screens');
  socket.on('ballot:submit', (payload: { voteId: string; ballotId: string; choices: { dots: Record<string, number> } }, ack: unknown) => {
    // A new vote (the knee scenario runs several) starts its count over, as the app's does.
    if (payload.voteId !== voteId) {
      voteId = payload.voteId;
      ballots = 0;
      for (const id of Object.keys(totals)) delete totals[id];
    }
    for (const [id, n] of Object.entries(payload.choices.dots)) totals[id] = (totals[id] ?? 0) + n;
    ballots += 1;
    scheduleTally();
    if (typeof ack === 'function') (ack as (reply: unknown) => void)({ ok: true, data: { voteId: payload.voteId, ballotId: payload.ballotId, changed: true } });
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  process.send?.({ url: `http://127.0.0.1:${port}`, pid: process.pid });
  serveLoopDelay();
});

const stop = () => {
  void io.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.once('disconnect', stop);
