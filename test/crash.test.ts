/**
 * A crash in the middle of the evening: the real server process (server/main.ts) is killed
 * with SIGKILL during a burst of co-editing and during a vote, then started again on the same
 * port and data dir. Whatever the server acknowledged survives (every ballot it acked, every
 * Yjs update it relayed), nothing is corrupt, and every client comes back by itself and
 * catches up, including what the tablets wrote while the server was down.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { BallotBox } from '../server/ballotBox.js';
import type { Db } from '../server/db.js';
import { hashSecret } from '../server/secrets.js';
import { voteBox } from '../server/votes.js';
import { tableDocName } from '../server/yjs/docNames.js';
import { pointsMap, readPoints } from '../shared/board.js';
import { Events, type Ack, type BallotReceipt, type JoinResponse } from '../shared/protocol.js';
import {
  addPointTo,
  allBack,
  api,
  closeClients,
  connectClient,
  createSession,
  emitOk,
  facilitator,
  joinTablet as joinTabletAt,
  madeNow,
  startSession,
  tableProvider,
  type Tablet,
  type TableBoard,
  votingRoom,
} from './helpers/clients.js';
import { freePort, startMainProcess, type MainProcess } from './helpers/mainProcess.js';
import { stored } from './helpers/storage.js';

/** Generous: a restarted process first has to load tsx, and CI machines are slow. */
const SLOW = { timeout: 30_000, interval: 20 } as const;

let dataDir: string;
let port: number;
let proc: MainProcess | null = null;
/** Where the clients connect: the same URL before and after every restart. */
const target: { url: string } = { url: '' };
const secrets: string[] = [];

async function start(): Promise<void> {
  proc = await startMainProcess({ port, dataDir, env: { LOG_LEVEL: 'debug' } });
  target.url = proc.url;
}

/** SIGKILL: no shutdown handler runs, nothing is flushed that was not already. */
async function kill(): Promise<void> {
  const p = proc!;
  p.child.kill('SIGKILL');
  expect(await p.exited).toEqual({ code: null, signal: 'SIGKILL' });
  output += p.output();
  proc = null;
}
let output = '';

/** Reads what storage holds right after the crash: the files on SQLite, the database on Postgres. */
function onDisk<T>(fn: (db: Db) => T): Promise<T> {
  return stored(dataDir, fn);
}

/** A table's document as the database holds it. */
async function docOnDisk(sessionId: string, table: number): Promise<Y.Doc> {
  const doc = new Y.Doc();
  await onDisk((db) => {
    const rows = db.prepare('SELECT data FROM yjs_updates WHERE doc = ? ORDER BY id').all(tableDocName(sessionId, table)) as { data: Buffer }[];
    for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.data));
  });
  return doc;
}

/** True when `doc` holds everything `of` does (its state vector covers the other's). */
function covers(doc: Y.Doc, of: Y.Doc): boolean {
  const mine = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(of))) if ((mine.get(client) ?? 0) < clock) return false;
  return true;
}

async function joinTablet(s: { joinCode: string }, table: number): Promise<Tablet> {
  const tablet = await joinTabletAt(target, s, table);
  secrets.push(tablet.token);
  return tablet;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-crash-'));
  port = await freePort();
  await start();
}, 60_000);

// Each test has its own session and clients; a Yjs provider holds a process 'exit' listener.
afterEach(closeClients);

afterAll(async () => {
  await closeClients();
  if (proc) {
    proc.child.kill('SIGTERM');
    await proc.exited;
    output += proc.output();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('kill -9 and restart', () => {
  it('in a burst of co-editing: what the server relayed is on disk, and the tablets sync what it missed', async () => {
    const s = await createSession(target, { tables: 2 });
    secrets.push(s.facilitatorKey);
    const fac = await facilitator(target, s);
    await startSession(fac);
    const tablets = await Promise.all([joinTablet(s, 1), joinTablet(s, 1), joinTablet(s, 2), joinTablet(s, 2)]);
    const boards = await Promise.all(tablets.map((t) => tableProvider(target, s.id, t.table, { device: t.token })));
    // What the projector side sees: a read-only connection gets exactly what the server relayed.
    const watch = await Promise.all([1, 2].map((table) => tableProvider(target, s.id, table, { facilitator: s.facilitatorKey })));
    const made = madeNow(fac);

    // 1. Settled: points every tablet has seen come back through the server.
    const settled = boards.flatMap((b, i) => Array.from({ length: 5 }, (_, k) => addPointTo(b, `Punt ${i}.${k}`, 'communicatie', made)));
    await vi.waitFor(() => {
      for (const w of watch) expect(w.points().length).toBe(10);
    }, SLOW);

    // 2. A burst: new points and typing into existing ones on every tablet, killed half-way.
    let ops = 0;
    const burst = setInterval(() => {
      boards.forEach((b, i) => {
        ops++;
        if (ops % 3 === 0) addPointTo(b, `Snel ${i}.${ops}`, 'samenwerking', made);
        else {
          const mine = pointsMap(b.doc)
            .get(settled[i * 5 + (ops % 5)]!)
            ?.get('text') as Y.Text | undefined;
          mine?.insert(mine.length, ` ${ops}`);
        }
      });
    }, 2);
    // Killed once the burst is well under way: some of its points have come through, more are on their way.
    await vi.waitFor(() => expect(watch[0]!.points().length + watch[1]!.points().length).toBeGreaterThan(20 + 8), SLOW);
    await kill();
    const relayed = watch.map((w) => Y.encodeStateAsUpdate(w.doc));
    // The tablets go on writing while the laptop is down...
    const opsAtKill = ops;
    await vi.waitFor(() => expect(ops).toBeGreaterThan(opsAtKill + 40), SLOW);
    clearInterval(burst);

    // Everything the server relayed before it died is in the database file.
    for (const table of [1, 2]) {
      const disk = await docOnDisk(s.id, table);
      const seen = new Y.Doc();
      Y.applyUpdate(seen, relayed[table - 1]!);
      expect(covers(disk, seen), `table ${table}: an update the server relayed is missing on disk`).toBe(true);
      expect(readPoints(disk).length).toBeGreaterThanOrEqual(10);
    }

    // 3. Restart. Nobody touches a client: sockets and boards come back by themselves.
    const seenStates = [fac, ...tablets.map((t) => t.client)].map((c) => c.sessionStates.length);
    await start();
    await allBack([fac, ...tablets.map((t) => t.client)], seenStates, SLOW.timeout);
    await vi.waitFor(() => {
      for (const b of [...boards, ...watch]) expect(b.provider.wsconnected && b.provider.synced).toBe(true);
    }, SLOW);

    // The tablets send what the server missed, so every copy of a table converges: the
    // tablets, the read-only view, and the server (a board opened afresh).
    const fresh = await Promise.all([1, 2].map((table) => tableProvider(target, s.id, table, { facilitator: s.facilitatorKey })));
    const sameAs = (a: TableBoard, b: TableBoard) => JSON.stringify(a.points()) === JSON.stringify(b.points());
    await vi.waitFor(() => {
      for (const [i, b] of boards.entries()) {
        const table = tablets[i]!.table;
        expect(sameAs(b, fresh[table - 1]!), `tablet ${i} and the server disagree on table ${table}`).toBe(true);
        expect(sameAs(b, watch[table - 1]!)).toBe(true);
      }
    }, SLOW);
    for (const table of [1, 2]) {
      const points = fresh[table - 1]!.points();
      // Nothing lost, nothing doubled, nothing garbled.
      expect(new Set(points.map((p) => p.id)).size).toBe(points.length);
      for (const id of settled.filter((_, i) => tablets[Math.floor(i / 5)]!.table === table)) {
        expect(points.find((p) => p.id === id)?.text, id).toMatch(/^Punt \d\.\d( \d+)*$/);
      }
      for (const b of boards.filter((_, i) => tablets[i]!.table === table)) expect(covers(fresh[table - 1]!.doc, b.doc)).toBe(true);
    }

    // And the evening goes on: a point written now reaches the other tablet at the table.
    const after = addPointTo(boards[0]!, 'Na de herstart', 'participatie', made);
    await vi.waitFor(() => expect(boards[1]!.points().some((p) => p.id === after)).toBe(true), SLOW);
  });

  it('in the middle of a vote: every acknowledged ballot counts, and the rest can be sent again', async () => {
    const { s, fac, tablets, items, vote, view, ballots } = await votingRoom(target, 12);
    secrets.push(s.facilitatorKey, ...tablets.map((t) => t.token));

    // Every tablet votes at once; the server dies after the fifth acknowledgement.
    const acked = new Set<number>();
    // Set in an ack callback, where TypeScript's narrowing does not look: not the `null` it starts as.
    let killing = null as Promise<void> | null;
    const sent = tablets.map(
      (t, i) =>
        new Promise<void>((resolve) => {
          t.client.socket.emit(
            Events.ballotSubmit,
            { voteId: vote.id, ballotId: ballots[i]!.ballotId, choices: { method: 'dots', dots: ballots[i]!.dots } },
            (res: Ack<BallotReceipt>) => {
              if (res.ok) acked.add(i);
              if (acked.size === 5) killing ??= kill();
              resolve();
            },
          );
          // No answer will come for a ballot the dead server never read.
          t.client.socket.once('disconnect', () => resolve());
        }),
    );
    await Promise.all(sent);
    await killing;
    expect(acked.size).toBeGreaterThanOrEqual(5);

    // Every acknowledged ballot is in the database file, as sent.
    const kept = await onDisk((db) => new BallotBox(db).entries(voteBox(vote.id)).map(([ballot_id, choices]) => ({ ballot_id, choices })));
    for (const i of acked) {
      const row = kept.find((r) => r.ballot_id === ballots[i]!.ballotId);
      expect(row, `acknowledged ballot ${i} is not on disk`).toBeDefined();
      expect(Object.values(JSON.parse(row!.choices) as object).length).toBeGreaterThan(0);
    }
    expect(kept.length).toBeLessThanOrEqual(tablets.length);

    // Restart: every screen is back by itself and shows the vote still open with what was counted.
    const clients = [fac, view, ...tablets.map((t) => t.client)];
    const seenStates = clients.map((c) => c.sessionStates.length);
    await start();
    await allBack(clients, seenStates, SLOW.timeout);
    expect(view.lastSessionState()!.vote).toMatchObject({ id: vote.id, status: 'open' });
    await vi.waitFor(() => expect(view.lastTally()?.ballots).toBe(kept.length), SLOW);
    // A tablet whose ballot was acknowledged is told so again on reconnecting (never what it chose).
    await vi.waitFor(() => {
      for (const i of acked) expect(tablets[i]!.client.deviceStates.at(-1)?.votedIn, `tablet ${i}`).toContain(vote.id);
    }, SLOW);

    // A tablet that never heard back sends its ballot again (the same id): counted once.
    const resent = await Promise.all(
      tablets.map((t, i) =>
        emitOk<BallotReceipt>(t.client.socket, Events.ballotSubmit, {
          voteId: vote.id,
          ballotId: ballots[i]!.ballotId,
          choices: { method: 'dots', dots: ballots[i]!.dots },
        }),
      ),
    );
    resent.forEach((r, i) => {
      // An acknowledged ballot was stored: sending it again changes nothing.
      if (acked.has(i)) expect(r.changed, `ballot ${i}`).toBe(false);
    });
    await vi.waitFor(() => expect(view.lastTally()).toMatchObject({ voteId: vote.id, ballots: tablets.length }), SLOW);
    // 12 ballots of 2 + 1 dots, spread evenly over the two points.
    const scores = Object.fromEntries(view.lastTally()!.results.map((r) => [r.id, r.score]));
    expect(scores).toEqual({ [items[0]!]: 18, [items[1]!]: 18 });
  });

  it('while phones join: every token handed out and every table acknowledged is on disk', async () => {
    const s = await createSession(target, { tables: 3 });
    secrets.push(s.facilitatorKey);
    const joined: { token: string; table: number | null }[] = [];
    const seatedCount = () => joined.filter((j) => j.table !== null).length;
    let killing = null as Promise<void> | null;
    // 30 phones join and pick a table at once; the server dies after the tenth table is acknowledged.
    const phones = Array.from({ length: 30 }, async (_, i) => {
      try {
        const res = await api<JoinResponse>(target, '/join', { body: { code: s.joinCode } });
        if (res.status !== 201) return;
        secrets.push(res.body.deviceToken);
        const phone = { token: res.body.deviceToken, table: null as number | null };
        joined.push(phone);
        const client = await connectClient(target, { role: 'device', sessionId: s.id, token: phone.token });
        await emitOk(client.socket, Events.deviceJoinTable, { table: (i % 3) + 1 });
        phone.table = (i % 3) + 1;
        if (seatedCount() === 10) killing ??= kill();
      } catch {
        // The server died under this phone: what it was not told is not promised.
      }
    });
    await vi.waitFor(() => expect(killing).not.toBeNull(), SLOW);
    await killing;

    const rows = await onDisk(
      (db) =>
        db.prepare('SELECT token_hash, table_number FROM devices WHERE session_id = ?').all(s.id) as { token_hash: string; table_number: number | null }[],
    );
    expect(seatedCount()).toBeGreaterThanOrEqual(10);
    for (const phone of joined) {
      const row = rows.find((r) => r.token_hash === hashSecret(phone.token));
      expect(row, 'a device whose token was handed out is not on disk').toBeDefined();
      if (phone.table !== null) expect(row!.table_number).toBe(phone.table);
    }
    await start();
    await Promise.all(phones);
  });

  it('leaves no key or token in what the process printed', () => {
    const printed = output + (proc?.output() ?? '');
    expect(printed.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(printed.includes(secret), 'a secret in the server output').toBe(false);
  });
});
