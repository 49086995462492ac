/**
 * Session ownership on a real Postgres: one owner at a time, epochs that only grow, writes
 * fenced by them, and takeovers when the owner is killed (SIGKILL) or paused (SIGSTOP, then
 * SIGCONT). The nodes that are killed and paused are processes of their own
 * (test/fixtures/ownerNode.ts); the ones that take over run in this process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectPostgres, migratePostgres, type HostedDb } from '../server/hosted/postgres.js';
import { Ownership, StaleOwnerError, type OwnershipOptions } from '../server/hosted/ownership.js';
import { createLogger } from '../server/log.js';
import { postgresAvailable, startPostgres, type PostgresCluster } from './helpers/postgres.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LEASE_MS = 1000;
const log = createLogger('silent');

interface Line {
  node: string;
  event: 'owner' | 'ack' | 'refused' | 'error' | 'lost' | 'stepped-down';
  epoch?: number;
  seq?: number;
}

interface OwnerNode {
  child: ChildProcess;
  lines: Line[];
  exited: Promise<unknown>;
}

describe.skipIf(!postgresAvailable)('session ownership on Postgres', () => {
  let cluster: PostgresCluster;
  let url: string;
  let db: HostedDb;
  const nodes: Ownership[] = [];
  const children: OwnerNode[] = [];
  let sessions = 0;
  const newSessionId = () => `session-${++sessions}`;

  /** A node in this process; `extra` gives it an onLost or a logger of its own. */
  const node = async (name: string, extra: Partial<Pick<OwnershipOptions, 'onLost' | 'log'>> = {}) => {
    const o = await Ownership.start({ db, url, node: name, leaseMs: LEASE_MS, log, ...extra });
    nodes.push(o);
    return o;
  };

  function ownerProcess(name: string, sessionId: string): OwnerNode {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/ownerNode.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, SESSION_ID: sessionId, NODE_NAME: name, LEASE_MS: String(LEASE_MS) },
      // Its stdin is ours: if this test process dies, the node ends too.
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines: Line[] = [];
    let rest = '';
    child.stdout.on('data', (d: Buffer) => {
      const parts = (rest + d.toString()).split('\n');
      rest = parts.pop()!;
      for (const part of parts) if (part) lines.push(JSON.parse(part) as Line);
    });
    const proc = { child, lines, exited: new Promise((resolve) => child.once('exit', resolve)) };
    children.push(proc);
    return proc;
  }

  const acked = (proc: OwnerNode) => proc.lines.filter((l) => l.event === 'ack');
  const rowsOf = (sessionId: string) =>
    sql<{ id: string; node: string; epoch: number; seq: number }>`SELECT id, node, epoch, seq FROM test_writes WHERE session_id = ${sessionId} ORDER BY id`
      .execute(db)
      .then((r) => r.rows);

  /** The epoch Postgres holds for a session now. */
  const currentEpoch = async (sessionId: string) =>
    (await db.selectFrom('session_owners').select('epoch').where('session_id', '=', sessionId).executeTakeFirst())?.epoch;

  /** A fenced write from an in-process node, as the fixture writes. */
  const write = (o: Ownership, sessionId: string, seq: number) => {
    const lease = o.leaseOf(sessionId);
    if (!lease) throw new Error('not the owner');
    return o.fenced(lease, (trx) =>
      sql`INSERT INTO test_writes (session_id, node, epoch, seq) VALUES (${sessionId}, 'in-test', ${lease.epoch}, ${seq})`.execute(trx),
    );
  };

  beforeAll(async () => {
    cluster = await startPostgres();
    url = await cluster.createDatabase();
    db = connectPostgres({ url, idleTransactionMs: LEASE_MS });
    await migratePostgres(db);
    // Running the migrations again (another node starting) changes nothing.
    await migratePostgres(db);
    await sql`CREATE TABLE test_writes (id bigserial PRIMARY KEY, session_id text NOT NULL, node text NOT NULL, epoch integer NOT NULL, seq integer NOT NULL)`.execute(
      db,
    );
  });

  afterEach(async () => {
    for (const proc of children.splice(0)) {
      if (proc.child.exitCode === null && proc.child.signalCode === null) {
        proc.child.kill('SIGCONT');
        proc.child.kill('SIGKILL');
        await proc.exited;
      }
    }
    for (const o of nodes.splice(0)) await o.close();
  });

  afterAll(async () => {
    await db?.destroy();
    cluster?.stop();
  });

  it('one owner at a time; after a release the next owner has a higher epoch', async () => {
    const [a, b] = [await node('a'), await node('b')];
    const id = newSessionId();
    const first = await a.acquire(id);
    expect(first).toEqual({ sessionId: id, epoch: 1 });
    expect(await b.acquire(id)).toBeNull();
    // Asking again changes nothing for the owner.
    expect(await a.acquire(id)).toBe(first);
    await a.release(id);
    expect(await b.acquire(id)).toEqual({ sessionId: id, epoch: 2 });
    expect(await a.acquire(id)).toBeNull();
    expect(await currentEpoch(id)).toBe(2);
  });

  it('sessions are owned one by one: two nodes can share the work', async () => {
    const [a, b] = [await node('a'), await node('b')];
    const [x, y] = [newSessionId(), newSessionId()];
    expect(await a.acquire(x)).not.toBeNull();
    expect(await b.acquire(y)).not.toBeNull();
    expect([a.leaseOf(x), a.leaseOf(y)]).toEqual([{ sessionId: x, epoch: 1 }, undefined]);
    expect([b.leaseOf(x), b.leaseOf(y)]).toEqual([undefined, { sessionId: y, epoch: 1 }]);
  });

  it('many clients arriving at once on one node make one takeover, and one release frees the session', async () => {
    const [a, b] = [await node('a'), await node('b')];
    const id = newSessionId();
    const leases = await Promise.all(Array.from({ length: 10 }, () => a.acquire(id)));
    expect(new Set(leases)).toEqual(new Set([{ sessionId: id, epoch: 1 }]));
    expect(await currentEpoch(id)).toBe(1);
    await a.release(id);
    expect(await b.acquire(id)).toEqual({ sessionId: id, epoch: 2 });
  });

  it('a write under an epoch that is over is refused, writes nothing, and the node steps down', async () => {
    const lost: unknown[] = [];
    const a = await node('a', { onLost: (lease) => lost.push(lease) });
    const b = await node('b');
    const id = newSessionId();
    const old = (await a.acquire(id))!;
    await write(a, id, 1);
    // A newer owner wrote its epoch, and a has not heard of it yet.
    await sql`UPDATE session_owners SET epoch = epoch + 1 WHERE session_id = ${id}`.execute(db);
    await expect(write(a, id, 2)).rejects.toBeInstanceOf(StaleOwnerError);
    expect((await rowsOf(id)).map((r) => r.seq)).toEqual([1]);
    expect(a.leaseOf(id)).toBeUndefined();
    expect(lost).toEqual([old]);
    // It gave up its lock as well: the next owner gets the session, under a higher epoch still.
    expect(await b.acquire(id)).toEqual({ sessionId: id, epoch: old.epoch + 2 });
  });

  it('an owner keeps renewing its lease: another node cannot take the session after a lease has passed', async () => {
    const [a, b] = [await node('a'), await node('b')];
    const id = newSessionId();
    await a.acquire(id);
    const renewed = async () =>
      (
        await db
          .selectFrom('session_leases')
          .select(sql<number>`(extract(epoch from renewed_at) * 1000)::float8`.as('at'))
          .where('session_id', '=', id)
          .executeTakeFirstOrThrow()
      ).at;
    const first = await renewed();
    // Wait (polling the row, not sleeping) until it was renewed later than a whole lease after it was taken.
    await vi.waitFor(async () => expect(await renewed()).toBeGreaterThan(first + 2 * LEASE_MS), { timeout: 15_000, interval: 100 });
    expect(await b.acquire(id)).toBeNull();
    expect(a.alive).toBe(true);
  });

  it('an owner that cannot renew for a whole lease steps down on its own', async () => {
    const lost: unknown[] = [];
    const a = await node('a', { onLost: (lease) => lost.push(lease) });
    const id = newSessionId();
    const lease = await a.acquire(id);
    // Renewals wait behind a lock on the leases; the owner cannot tell whether it was taken over.
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE session_leases IN ACCESS EXCLUSIVE MODE');
      await vi.waitFor(() => expect(lost).toEqual([lease]), { timeout: 15_000, interval: 50 });
      expect(a.alive).toBe(false);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });

  it("a takeover waits for the old owner's write in flight, which lands under the old epoch", async () => {
    const [a, b] = [await node('a'), await node('b')];
    const id = newSessionId();
    const lease = (await a.acquire(id))!;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const writing = a.fenced(lease, async (trx) => {
      await sql`INSERT INTO test_writes (session_id, node, epoch, seq) VALUES (${id}, 'a', ${lease.epoch}, 1)`.execute(trx);
      entered();
      await gate;
    });
    await inside;
    await a.release(id);
    let taken = false;
    const takeover = b.acquire(id).then((l) => {
      taken = true;
      return l;
    });
    // b has the lock; its epoch update waits on the row a's write holds.
    await vi.waitFor(async () => {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`.execute(db);
      expect(rows[0]!.n).toBeGreaterThan(0);
    });
    expect(taken).toBe(false);
    open();
    await writing;
    expect(await takeover).toEqual({ sessionId: id, epoch: 2 });
    expect((await rowsOf(id)).map((r) => [r.epoch, r.seq])).toEqual([[1, 1]]);
  });

  it('a session released while it is being taken is not kept', async () => {
    const [a, b] = [await node('a'), await node('b')];
    const id = newSessionId();
    const taking = a.acquire(id);
    await a.release(id);
    expect(await taking).toEqual({ sessionId: id, epoch: 1 });
    expect(a.leaseOf(id)).toBeUndefined();
    expect(await b.acquire(id)).toEqual({ sessionId: id, epoch: 2 });
  });

  it('a stale lease that names another backend ends nobody: the holder keeps its session', async () => {
    const [a, b] = [await node('a'), await node('b')];
    const id = newSessionId();
    await a.acquire(id);
    // The lease looks old and names a backend that holds no lock (a long-gone owner).
    await sql`UPDATE session_leases SET renewed_at = now() - interval '1 hour', pid = 0 WHERE session_id = ${id}`.execute(db);
    expect(await b.acquire(id)).toBeNull();
    expect(a.alive).toBe(true);
    expect(a.leaseOf(id)).toEqual({ sessionId: id, epoch: 1 });
  });

  it('SIGKILL of the owner mid-write: another node owns the session at once, every acknowledged write is stored', { timeout: 60_000 }, async () => {
    const id = newSessionId();
    const owner = ownerProcess('killed', id);
    await vi.waitFor(() => expect(acked(owner).length).toBeGreaterThan(20), { timeout: 20_000 });
    owner.child.kill('SIGKILL');
    await owner.exited;
    const lines: string[] = [];
    const b = await node('b', { log: createLogger('info', (line) => lines.push(line)) });
    const killedAt = Date.now();
    let lease = null;
    await vi.waitFor(
      async () => {
        lease = await b.acquire(id);
        expect(lease).not.toBeNull();
      },
      { timeout: 10_000, interval: 50 },
    );
    const takeoverMs = Date.now() - killedAt;
    console.log(`[ownership] SIGKILL: taken over after ${takeoverMs} ms`);
    expect(lease).toMatchObject({ epoch: 2 });
    // Taken because the lock was free, not after waiting for the lease to run out.
    expect(lines.filter((l) => l.includes('stopped renewing'))).toEqual([]);
    const stored = new Set((await rowsOf(id)).map((r) => r.seq));
    for (const line of acked(owner)) expect(stored.has(line.seq!), `acknowledged write ${line.seq}`).toBe(true);
    await write(b, id, 1);
  });

  it(
    'SIGSTOP of the owner: another node takes over after the lease, the paused owner writes nothing more and steps down on SIGCONT',
    { timeout: 90_000 },
    async () => {
      const id = newSessionId();
      const owner = ownerProcess('paused', id);
      await vi.waitFor(() => expect(acked(owner).length).toBeGreaterThan(20), { timeout: 20_000 });
      owner.child.kill('SIGSTOP');
      const stoppedAt = Date.now();
      const b = await node('b');
      // While the lease holds, the paused node still owns the session.
      expect(await b.acquire(id)).toBeNull();
      await vi.waitFor(async () => expect(await b.acquire(id)).not.toBeNull(), { timeout: 15_000, interval: 100 });
      console.log(`[ownership] SIGSTOP: taken over after ${Date.now() - stoppedAt} ms (lease ${LEASE_MS} ms)`);
      for (let seq = 1; seq <= 5; seq++) await write(b, id, seq);

      owner.child.kill('SIGCONT');
      await vi.waitFor(() => expect(owner.lines.map((l) => l.event)).toContain('stepped-down'), { timeout: 15_000 });
      await vi.waitFor(() => expect(owner.lines.map((l) => l.event)).toContain('lost'), { timeout: 15_000 });
      // It steps down and runs on: a connection that Postgres ended under it does not bring it down.
      expect(owner.child.exitCode).toBeNull();
      for (let seq = 6; seq <= 8; seq++) await write(b, id, seq);

      // No two owners ever wrote: every row of the old epoch comes before the first of the new.
      const rows = await rowsOf(id);
      const lastOld = Math.max(...rows.filter((r) => r.epoch === 1).map((r) => Number(r.id)));
      const firstNew = Math.min(...rows.filter((r) => r.epoch === 2).map((r) => Number(r.id)));
      expect(lastOld).toBeLessThan(firstNew);
      expect(rows.filter((r) => r.epoch === 2).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      // Every write the paused node acknowledged is stored; the one it tried after waking is not.
      const stored = new Set(rows.filter((r) => r.epoch === 1).map((r) => r.seq));
      for (const line of acked(owner)) expect(stored.has(line.seq!), `acknowledged write ${line.seq}`).toBe(true);
      const refused = owner.lines.filter((l) => l.event === 'refused' || l.event === 'error');
      for (const line of refused) expect(stored.has(line.seq!)).toBe(false);
      expect(b.leaseOf(id)).toMatchObject({ epoch: 2 });
    },
  );
});
