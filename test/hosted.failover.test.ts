/**
 * Hosted mode's failover, with real processes: two server processes (server/main.ts) on one
 * real Postgres (DATABASE_URL), behind a real nginx running the shipped docs/deploy/nginx.conf.
 * One node serves; the other stands by and does not listen until it holds the database.
 *
 * - SIGKILL of the serving node in the middle of a vote and of a typing burst: the standby
 *   serves, every acknowledged ballot and every relayed Yjs update is in Postgres, and every
 *   client (socket.io and Yjs) comes back through nginx by itself.
 * - SIGSTOP of the serving node: the standby takes over after a lease; the paused node, let go
 *   on with SIGCONT, stores nothing more (its epoch is refused), acknowledges nothing, and stops.
 *
 * Every acknowledgement any client gets in this file is checked against Postgres at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { BallotBox } from '../server/ballotBox.js';
import type { Db } from '../server/db.js';
import { WHOLE_DATABASE } from '../server/hosted/writeThrough.js';
import { voteBox } from '../server/votes.js';
import { tableDocName } from '../server/yjs/docNames.js';
import { pointsMap, readPoints } from '../shared/board.js';
import { Events, type Ack, type BallotReceipt } from '../shared/protocol.js';
import { addPointTo, allBack, closeClients, votingRoom, type Client, type TableBoard, type Tablet } from './helpers/clients.js';
import { answering, freePort, spawnMainProcess, type MainProcess } from './helpers/mainProcess.js';
import { nginxAvailable, startNginx, type Nginx } from './helpers/nginx.js';
import { postgresAvailable, startPostgres, type PostgresCluster } from './helpers/postgres.js';
import { until } from './helpers/processes.js';
import { inDatabase } from './helpers/storage.js';

const SLOW = { timeout: 30_000, interval: 20 } as const;

let cluster: PostgresCluster;
let databaseUrl: string;
let proxy: Nginx;
const ports: number[] = [];
const processes: MainProcess[] = [];
const dirs: string[] = [];
/** Where every client connects: nginx. */
const target = { url: '' };
/** Every ballot a node acknowledged in this file: its vote and id. */
const acknowledged: { voteId: string; ballotId: string }[] = [];
const findings: string[] = [];

/** A node process on `port`, with a data dir of its own (another machine, as far as it knows). */
async function node(port: number): Promise<MainProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-node-'));
  dirs.push(dataDir);
  const proc = await spawnMainProcess({ port, dataDir, env: { DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' } });
  processes.push(proc);
  return proc;
}

async function standingBy(proc: MainProcess): Promise<void> {
  await until(() => expect(proc.output()).toContain('stands by'), SLOW.timeout);
}

/** What Postgres holds now, as SQLite (the way a node that starts copies it). */
function inPostgres<T>(fn: (db: Db) => T): Promise<T> {
  return inDatabase(databaseUrl, fn);
}

async function owner(): Promise<{ epoch: number; node: string }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ epoch: number; node: string }>('SELECT epoch, node FROM session_owners WHERE session_id = $1', [WHOLE_DATABASE]);
    return rows[0]!;
  } finally {
    await client.end();
  }
}

/** Sends a ballot and keeps its acknowledgement; resolves with it, or with null if none came. */
function vote(t: Tablet, voteId: string, ballotId: string, dots: Record<string, number>): Promise<Ack<BallotReceipt> | null> {
  return new Promise((resolve) => {
    const gone = () => resolve(null);
    t.client.socket.once('disconnect', gone);
    t.client.socket.emit(Events.ballotSubmit, { voteId, ballotId, choices: { method: 'dots', dots } }, (res: Ack<BallotReceipt>) => {
      t.client.socket.off('disconnect', gone);
      if (res.ok) acknowledged.push({ voteId, ballotId });
      resolve(res);
    });
  });
}

/** Milliseconds from `since` until each check first holds, polled every 20 ms. */
async function timesUntil(since: number, checks: (() => boolean)[]): Promise<number[]> {
  const at: (number | null)[] = checks.map(() => null);
  await vi.waitFor(() => {
    checks.forEach((check, i) => {
      if (at[i] === null && check()) at[i] = Date.now() - since;
    });
    if (at.some((t) => t === null)) throw new Error(`${at.filter((t) => t === null).length} of ${checks.length} not back yet`);
  }, SLOW);
  return at as number[];
}

const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(values.length * 0.95) - 1)]!;

/** True when `doc` holds everything `of` does. */
function covers(doc: Y.Doc, of: Y.Doc): boolean {
  const mine = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(of))) if ((mine.get(client) ?? 0) < clock) return false;
  return true;
}

beforeAll(async () => {
  if (!postgresAvailable || !nginxAvailable) return;
  cluster = await startPostgres();
  databaseUrl = await cluster.createDatabase();
  ports.push(await freePort(), await freePort());
  const first = await node(ports[0]!);
  await answering(first);
  await standingBy(await node(ports[1]!));
  proxy = await startNginx(ports);
  target.url = proxy.url;
}, 90_000);

afterEach(closeClients);

afterAll(async () => {
  await closeClients();
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
  await proxy?.stop();
  cluster?.stop();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  if (findings.length > 0) console.log(`hosted failover:\n${findings.join('\n')}`);
});

describe.skipIf(!postgresAvailable || !nginxAvailable)('two nodes on one Postgres behind nginx', () => {
  it('SIGKILL mid-vote and mid-typing: the standby serves, nothing acknowledged is lost, every client is back', { timeout: 90_000 }, async () => {
    const [serving, standby] = processes as [MainProcess, MainProcess];
    const room = await votingRoom(target, 12);

    // Typing at both tables, and every tablet voting at once; the serving node dies after the fifth ack.
    let ops = 0;
    const burst = setInterval(() => {
      room.boards.forEach((b, i) => {
        ops++;
        if (ops % 3 === 0) addPointTo(b, `Snel ${i}.${ops}`, 'samenwerking', room.made);
        else (pointsMap(b.doc).get(room.items[i]!)?.get('text') as Y.Text | undefined)?.insert(0, `${ops} `);
      });
    }, 3);
    const clients: Client[] = [room.fac, room.view, ...room.tablets.map((t) => t.client)];
    const boards: TableBoard[] = [...room.boards, ...room.watch];
    // What each client had seen when the node died: coming back means more than that.
    let seen: number[] = [];
    let closes: number[] = [];
    let killedAt = 0;
    // One after another, 20 ms apart: those after the kill vote once everyone is back.
    const sent = room.tablets.map(async (t, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 20));
      if (killedAt !== 0) return false;
      return vote(t, room.vote.id, room.ballots[i]!.ballotId, room.ballots[i]!.dots).then((res) => {
        if (res?.ok && acknowledged.length === 5 && killedAt === 0) {
          killedAt = Date.now();
          serving.child.kill('SIGKILL');
          seen = clients.map((c) => c.sessionStates.length);
          closes = boards.map((b) => b.closes.length);
        }
        return res?.ok === true;
      });
    });
    const acked = await Promise.all(sent);
    expect(await serving.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const relayed = room.watch.map((w) => Y.encodeStateAsUpdate(w.doc));

    // The standby answers, and every client reconnects through nginx and gets the full state.
    // The tablets go on writing meanwhile, then stop.
    const opsAtKill = ops;
    await vi.waitFor(() => expect(ops).toBeGreaterThan(opsAtKill + 40), SLOW);
    clearInterval(burst);
    const [takeover] = await timesUntil(killedAt, [() => standby.output().includes('Serving the Postgres database')]);
    await answering(standby);
    const back = await timesUntil(killedAt, [
      ...clients.map((c, i) => () => c.socket.connected && c.sessionStates.length > seen[i]!),
      ...boards.map((b, i) => () => b.closes.length > closes[i]! && b.provider.wsconnected && b.provider.synced),
    ]);
    findings.push(
      `  SIGKILL: ${acked.filter(Boolean).length} of 12 ballots acknowledged before the kill; the standby served ${takeover} ms after it;`,
      `    ${clients.length} socket.io and ${boards.length} Yjs clients back through nginx: p95 ${p95(back)} ms, slowest ${Math.max(...back)} ms`,
    );

    // Every acknowledged ballot, and everything relayed before the kill, is in Postgres.
    const stored = await inPostgres((db) => ({
      ballots: new BallotBox(db).entries(voteBox(room.vote.id)).map(([id]) => id),
      docs: [1, 2].map((table) => {
        const doc = new Y.Doc();
        for (const r of db.prepare('SELECT data FROM yjs_updates WHERE doc = ? ORDER BY id').all(tableDocName(room.s.id, table)) as { data: Buffer }[]) {
          Y.applyUpdate(doc, new Uint8Array(r.data));
        }
        return doc;
      }),
    }));
    acked.forEach((ok, i) => {
      if (ok) expect(stored.ballots, `acknowledged ballot ${i}`).toContain(room.ballots[i]!.ballotId);
    });
    stored.docs.forEach((doc, i) => {
      const seenDoc = new Y.Doc();
      Y.applyUpdate(seenDoc, relayed[i]!);
      expect(covers(doc, seenDoc), `table ${i + 1}: an update relayed before the kill is missing in Postgres`).toBe(true);
    });

    // The tablets' boards and the server agree again, typing during the failover included.
    await vi.waitFor(() => {
      for (const i of [0, 1]) expect(readPoints(room.watch[i]!.doc)).toEqual(readPoints(room.boards[i]!.doc));
    }, SLOW);
    // Ballots without an answer are sent again: each counts once.
    const again = await Promise.all(room.tablets.map((t, i) => vote(t, room.vote.id, room.ballots[i]!.ballotId, room.ballots[i]!.dots)));
    again.forEach((res, i) => {
      expect(res?.ok, `ballot ${i} sent again`).toBe(true);
      if (acked[i] && res?.ok) expect(res.data.changed, `ballot ${i} was already counted`).toBe(false);
    });
    await vi.waitFor(() => expect(room.view.lastTally()).toMatchObject({ voteId: room.vote.id, ballots: 12 }), SLOW);
  });

  it('SIGSTOP: the standby takes over after a lease; the paused node stores and acknowledges nothing more, and stops', { timeout: 90_000 }, async () => {
    const serving = processes[1]!;
    const before = await owner();
    // A new standby where the killed node was.
    const standby = await node(ports[0]!);
    await standingBy(standby);
    const room = await votingRoom(target, 6);

    // Three ballots on their way as the serving node is paused: it reads them only once it runs again.
    const late = [0, 1, 2].map((i) => vote(room.tablets[i]!, room.vote.id, room.ballots[i]!.ballotId, room.ballots[i]!.dots));
    serving.child.kill('SIGSTOP');
    const pausedAt = Date.now();
    await answering(standby, SLOW.timeout);
    const takeover = Date.now() - pausedAt;
    const now = await owner();
    expect(now.epoch).toBe(before.epoch + 1);
    expect(now.node).not.toBe(before.node);

    // Let go on: the old owner finds it lost the database, answers none of the three, and exits.
    serving.child.kill('SIGCONT');
    expect(await serving.exited).toEqual({ code: 1, signal: null });
    expect(serving.output()).toContain('can no longer');
    const lateAnswers = await Promise.all(late);
    for (const res of lateAnswers) expect(res?.ok ?? false, 'the paused node acknowledged a ballot').toBe(false);
    const stored = await inPostgres((db) => new BallotBox(db).entries(voteBox(room.vote.id)).map(([id]) => id));
    for (const i of [0, 1, 2]) expect(stored, `ballot ${i} reached Postgres through the paused node`).not.toContain(room.ballots[i]!.ballotId);
    expect(await owner()).toEqual(now);
    findings.push(
      `  SIGSTOP: the standby served ${takeover} ms after the pause (lease 5 s); after SIGCONT the paused node stored none of 3 ballots and exited`,
    );

    // Everyone is back on the new node and votes.
    const clients: Client[] = [room.fac, room.view, ...room.tablets.map((t) => t.client)];
    await allBack(
      clients,
      clients.map(() => 0),
      SLOW.timeout,
    );
    const answers = await Promise.all(room.tablets.map((t, i) => vote(t, room.vote.id, room.ballots[i]!.ballotId, room.ballots[i]!.dots)));
    for (const res of answers) expect(res?.ok).toBe(true);
    await vi.waitFor(() => expect(room.view.lastTally()).toMatchObject({ voteId: room.vote.id, ballots: 6 }), SLOW);
  });

  it('every ballot any node acknowledged in this file is in Postgres', async () => {
    const ids = await inPostgres((db) => {
      const box = new BallotBox(db);
      return new Set(acknowledged.flatMap(({ voteId }) => box.entries(voteBox(voteId)).map(([id]) => `${voteId}/${id}`)));
    });
    expect(acknowledged.length).toBeGreaterThan(20);
    for (const { voteId, ballotId } of acknowledged) expect(ids.has(`${voteId}/${ballotId}`)).toBe(true);
  });
});
