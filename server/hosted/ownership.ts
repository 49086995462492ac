/**
 * Which node owns a session, in the hosted mode. The owner keeps the session's live model (its
 * documents, counters and timers) as one laptop does; Postgres decides who that is, so that two
 * nodes can never both write a session:
 *
 * - A node owns a session while its lock connection holds a Postgres advisory lock for it. A
 *   node that dies drops its connection, and with it the lock: another node can take over at
 *   once.
 * - Each takeover raises the session's epoch in `session_owners`. Every write of the owner runs
 *   in a transaction that first reads that row FOR SHARE and goes on only under its own epoch
 *   (`fenced`). A takeover's update of the row waits for writes in flight to commit; after it,
 *   an old owner's write is refused. So a node that was paused or cut off and comes back cannot
 *   write, even before it notices it lost the session.
 * - A paused node keeps its connection, and so its lock. Owners renew their leases (a row in
 *   `session_leases` naming the lock connection's backend) every third of `leaseMs`; a node that
 *   finds a lease older than `leaseMs`, still held by the backend it names, ends that backend
 *   (pg_terminate_backend) and takes the session over.
 * - A node steps down from a session (`onLost`) when another node's takeover replaced its lease,
 *   when a write finds a newer epoch, and from all of them when its lock connection is gone or
 *   it could not renew within `leaseMs` (then it cannot know whether it was taken over).
 *
 * The lock connection is a plain pg.Client, not a pool: a pool would silently replace a dropped
 * connection, and with it the locks, which is exactly what must not go unnoticed. It only takes,
 * gives up and renews locks; everything that may wait on other transactions (the epoch's update,
 * ending a stale holder) runs on the pool, so renewals are never stuck behind them.
 */
import { sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Logger } from '../log.js';
import type { HostedDatabase, HostedDb } from './postgres.js';

/** A write from a node that no longer owns the session (a newer epoch exists). */
export class StaleOwnerError extends Error {
  constructor(
    readonly sessionId: string,
    readonly epoch: number,
  ) {
    super(`This node no longer owns session ${sessionId} (epoch ${epoch} is over)`);
  }
}

/** A session owned under an epoch. */
export interface Lease {
  readonly sessionId: string;
  readonly epoch: number;
}

export interface OwnershipOptions {
  db: HostedDb;
  /** The same database as `db`, for the lock connection. */
  url: string;
  /** This node's name, e.g. its host name and port; written next to the epoch. */
  node: string;
  /** How long an unrenewed lease holds before another node may take the session over. */
  leaseMs: number;
  log: Logger;
  /** A session this node owned is no longer its own. */
  onLost?: (lease: Lease) => void;
}

/** The advisory lock's key: a 64-bit hash of the session id, computed by Postgres. */
const KEY = `hashtextextended('tafelronde:session:' || $1, 0)`;

export class Ownership {
  private readonly leases = new Map<string, Lease>();
  private readonly acquiring = new Map<string, Promise<Lease | null>>();
  private readonly timer: NodeJS.Timeout;
  private lastRenewed = Date.now();
  private lost = false;
  private ended = false;

  private constructor(
    private readonly opts: OwnershipOptions,
    private readonly lock: pg.Client,
    /** The lock connection's backend, named in this node's leases. */
    private readonly pid: number,
  ) {
    lock.on('error', (err) => this.connectionLost(err.message));
    lock.on('end', () => this.connectionLost('the lock connection ended'));
    this.timer = setInterval(() => void this.tick(), Math.max(50, Math.floor(opts.leaseMs / 3)));
    this.timer.unref();
  }

  static async start(opts: OwnershipOptions): Promise<Ownership> {
    // A query that hangs (a half-open network) fails rather than holding the renewals up.
    const lock = new pg.Client({ connectionString: opts.url, keepAlive: true, query_timeout: Math.max(100, Math.floor(opts.leaseMs / 2)) });
    const early = (err: Error) => opts.log.error('The Postgres lock connection failed while starting', err);
    lock.on('error', early);
    try {
      await lock.connect();
      const { rows } = await lock.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      lock.off('error', early);
      return new Ownership(opts, lock, rows[0]!.pid);
    } catch (err) {
      await lock.end().catch(() => undefined);
      throw err;
    }
  }

  /** Whether this node can still own sessions (its lock connection is there). */
  get alive(): boolean {
    return !this.lost;
  }

  /** This node's lease on the session, if it holds one. */
  leaseOf(sessionId: string): Lease | undefined {
    return this.leases.get(sessionId);
  }

  /**
   * Takes the session if nobody owns it, or if its owner stopped renewing; null while another
   * node owns it. The new lease's epoch is higher than any before it. Calls that overlap share
   * one attempt.
   */
  acquire(sessionId: string): Promise<Lease | null> {
    const held = this.leases.get(sessionId);
    if (held) return Promise.resolve(held);
    let attempt = this.acquiring.get(sessionId);
    if (!attempt) {
      attempt = this.take(sessionId).finally(() => this.acquiring.delete(sessionId));
      this.acquiring.set(sessionId, attempt);
    }
    return attempt;
  }

  /**
   * Runs `write` in a transaction that holds the session's owner row, and only if this node still
   * owns it under the lease's epoch; otherwise nothing is written and StaleOwnerError is thrown.
   */
  async fenced<T>(lease: Lease, write: (trx: Transaction<HostedDatabase>) => Promise<T>): Promise<T> {
    // A lease this node already gave up is refused here; the epoch below refuses the ones it
    // lost without knowing (while it was paused).
    if (this.leases.get(lease.sessionId) !== lease) throw new StaleOwnerError(lease.sessionId, lease.epoch);
    try {
      return await this.opts.db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('session_owners').select('epoch').where('session_id', '=', lease.sessionId).forShare().executeTakeFirst();
        if (row?.epoch !== lease.epoch) throw new StaleOwnerError(lease.sessionId, lease.epoch);
        return write(trx);
      });
    } catch (err) {
      if (err instanceof StaleOwnerError) this.stepDown(lease, 'a newer owner wrote its epoch');
      throw err;
    }
  }

  /** Gives the session up (e.g. when its last client left); another node may take it at once. */
  async release(sessionId: string): Promise<void> {
    // A take in flight would otherwise store its lease after this, and keep the session.
    await this.acquiring.get(sessionId)?.catch(() => null);
    if (!this.leases.delete(sessionId) || this.lost) return;
    await this.onLockConnection(async () => {
      await this.lock.query('DELETE FROM session_leases WHERE session_id = $1 AND pid = $2', [sessionId, this.pid]);
      await this.unlock(sessionId);
    });
  }

  /** Gives every session up and closes the lock connection (which releases its locks). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.leases.clear();
    this.lost = true;
    await this.end();
  }

  private async take(sessionId: string): Promise<Lease | null> {
    this.mustBeAlive();
    if (!(await this.onLockConnection(() => this.tryLock(sessionId)))) {
      if (!(await this.endStaleHolder(sessionId)) || !(await this.onLockConnection(() => this.tryLock(sessionId)))) return null;
    }
    try {
      const epoch = await this.opts.db.transaction().execute(async (trx) => {
        // Waits for the old owner's writes in flight; a paused one's idle transaction is ended
        // by Postgres after a lease (idle_in_transaction_session_timeout, see postgres.ts).
        await sql`SET LOCAL lock_timeout = ${sql.lit(Math.max(1, Math.round(this.opts.leaseMs * 2)))}`.execute(trx);
        const owner = await trx
          .insertInto('session_owners')
          .values({ session_id: sessionId, epoch: 1, node: this.opts.node })
          .onConflict((oc) => oc.column('session_id').doUpdateSet({ epoch: sql`session_owners.epoch + 1`, node: this.opts.node }))
          .returning('epoch')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('session_leases')
          // The clock when the row is written, not when the transaction began: it may have waited.
          .values({ session_id: sessionId, node: this.opts.node, pid: this.pid, renewed_at: sql`clock_timestamp()` })
          .onConflict((oc) => oc.column('session_id').doUpdateSet({ node: this.opts.node, pid: this.pid, renewed_at: sql`clock_timestamp()` }))
          .execute();
        return owner.epoch;
      });
      // The connection may have gone while the epoch was written: then the lock went with it.
      this.mustBeAlive();
      const lease: Lease = { sessionId, epoch };
      this.leases.set(sessionId, lease);
      return lease;
    } catch (err) {
      if (!this.lost) await this.onLockConnection(() => this.unlock(sessionId)).catch(() => undefined);
      throw err;
    }
  }

  private mustBeAlive(): void {
    if (this.lost) throw new Error('This node lost its lock connection and owns nothing');
  }

  /**
   * A query on the lock connection. If it fails (a timeout, a broken connection), nobody knows
   * which locks the connection still holds: it is ended, and every lock with it.
   */
  private async onLockConnection<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (err) {
      this.connectionLost(`a query on the lock connection failed (${err instanceof Error ? err.message : String(err)})`);
      throw err;
    }
  }

  private async tryLock(sessionId: string): Promise<boolean> {
    const { rows } = await this.lock.query<{ got: boolean }>(`SELECT pg_try_advisory_lock(${KEY}) AS got`, [sessionId]);
    return rows[0]!.got;
  }

  private async unlock(sessionId: string): Promise<void> {
    await this.lock.query(`SELECT pg_advisory_unlock(${KEY})`, [sessionId]);
  }

  /**
   * Ends the lock connection of a session's owner whose lease ran out, if that connection still
   * holds the session's lock in this database. True if there was such an owner.
   */
  private async endStaleHolder(sessionId: string): Promise<boolean> {
    const { rows } = await sql<{ pid: number }>`
      SELECT l.pid FROM session_leases s
      JOIN pg_locks l ON l.pid = s.pid AND l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended('tafelronde:session:' || ${sessionId}, 0)
      WHERE s.session_id = ${sessionId} AND s.renewed_at < now() - make_interval(secs => ${this.opts.leaseMs}::double precision / 1000)`.execute(this.opts.db);
    for (const { pid } of rows) {
      this.opts.log.info(`Taking over session ${sessionId}: its owner stopped renewing its lease`);
      await sql`SELECT pg_terminate_backend(${pid}::integer, ${Math.max(1000, this.opts.leaseMs)}::bigint)`.execute(this.opts.db);
    }
    return rows.length > 0;
  }

  /** Renews the leases; steps down from everything when it could not for a whole lease. */
  private async tick(): Promise<void> {
    if (this.lost) return;
    if (this.leases.size > 0 && Date.now() - this.lastRenewed > this.opts.leaseMs) {
      return this.connectionLost(`no lease renewed for ${this.opts.leaseMs} ms`);
    }
    const leases = [...this.leases.values()];
    const started = Date.now();
    try {
      if (leases.length > 0) {
        const { rows } = await this.lock.query<{ session_id: string }>(
          'UPDATE session_leases SET renewed_at = clock_timestamp() WHERE pid = $1 AND session_id = ANY($2::text[]) RETURNING session_id',
          [this.pid, leases.map((l) => l.sessionId)],
        );
        const renewed = new Set(rows.map((r) => r.session_id));
        for (const lease of leases) if (!renewed.has(lease.sessionId)) this.stepDown(lease, 'another node took it over');
      }
      this.lastRenewed = started;
    } catch (err) {
      // Tried again at the next tick; a connection that is gone says so through 'error'/'end'.
      this.opts.log.error('Renewing the session leases failed', err);
    }
  }

  private stepDown(lease: Lease, why: string): void {
    if (this.leases.get(lease.sessionId) !== lease) return;
    this.leases.delete(lease.sessionId);
    this.opts.log.info(`This node no longer owns session ${lease.sessionId} (epoch ${lease.epoch}): ${why}`);
    try {
      this.opts.onLost?.(lease);
    } catch (err) {
      this.opts.log.error('Stepping down from a session failed', err);
    }
    if (!this.lost) this.onLockConnection(() => this.unlock(lease.sessionId)).catch(() => undefined);
  }

  private connectionLost(why: string): void {
    if (this.lost) return;
    this.lost = true;
    clearInterval(this.timer);
    this.opts.log.error(`This node steps down from its sessions: ${why}`);
    for (const lease of [...this.leases.values()]) this.stepDown(lease, why);
    // Whatever locks the connection may still hold go with it.
    void this.end();
  }

  private async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.lock.end().catch(() => undefined);
  }
}
