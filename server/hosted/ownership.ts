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
 *   (`fenced`). A takeover waits for writes in flight to commit; after it, an old owner's write
 *   is refused. So a node that was paused or cut off and comes back cannot write, even before it
 *   notices it lost the session.
 * - A paused node keeps its connection, and so its lock. The owner renews its leases on the lock
 *   connection every third of `leaseMs`; a node that finds a lease older than `leaseMs` ends the
 *   holder's lock connection (pg_terminate_backend) and takes the session over.
 * - A node that finds its lock connection gone, or a lease renewed by nobody, steps down from
 *   those sessions (`onLost`).
 *
 * The lock connection is a plain pg.Client, not a pool: a pool would silently replace a dropped
 * connection, and with it the locks, which is exactly what must not go unnoticed.
 */
import type { Transaction } from 'kysely';
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
  private readonly timer: NodeJS.Timeout;
  private lost = false;

  private constructor(
    private readonly opts: OwnershipOptions,
    private readonly lock: pg.Client,
  ) {
    lock.on('error', (err) => this.connectionLost(err));
    lock.on('end', () => this.connectionLost(new Error('the lock connection ended')));
    this.timer = setInterval(() => void this.renew(), Math.max(50, Math.floor(opts.leaseMs / 3)));
    this.timer.unref();
  }

  static async start(opts: OwnershipOptions): Promise<Ownership> {
    const lock = new pg.Client({ connectionString: opts.url, keepAlive: true });
    await lock.connect();
    // The takeover's epoch update waits for writes in flight, never for ever.
    await lock.query(`SET lock_timeout = ${Math.max(1, Math.round(opts.leaseMs * 2))}`);
    return new Ownership(opts, lock);
  }

  /** This node's lease on the session, if it holds one. */
  leaseOf(sessionId: string): Lease | undefined {
    return this.leases.get(sessionId);
  }

  /** Sessions this node owns now. */
  get owned(): Lease[] {
    return [...this.leases.values()];
  }

  /**
   * Takes the session if nobody owns it, or if its owner stopped renewing; null while another
   * node owns it. The new lease's epoch is higher than any before it.
   */
  async acquire(sessionId: string): Promise<Lease | null> {
    if (this.lost) throw new Error('This node lost its lock connection and owns nothing');
    const held = this.leases.get(sessionId);
    if (held) return held;
    if (!(await this.tryLock(sessionId))) {
      if (!(await this.breakStaleLease(sessionId)) || !(await this.tryLock(sessionId))) return null;
    }
    try {
      const { rows } = await this.lock.query<{ epoch: number }>(
        `INSERT INTO session_owners (session_id, epoch, node, renewed_at) VALUES ($1, 1, $2, now())
         ON CONFLICT (session_id) DO UPDATE SET epoch = session_owners.epoch + 1, node = excluded.node, renewed_at = now()
         RETURNING epoch`,
        [sessionId, this.opts.node],
      );
      const lease: Lease = { sessionId, epoch: rows[0]!.epoch };
      this.leases.set(sessionId, lease);
      return lease;
    } catch (err) {
      await this.unlock(sessionId).catch(() => undefined);
      throw err;
    }
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
      if (err instanceof StaleOwnerError) this.stepDown(lease);
      throw err;
    }
  }

  /** Gives the session up (e.g. when its last client left); another node may take it at once. */
  async release(sessionId: string): Promise<void> {
    if (!this.leases.delete(sessionId) || this.lost) return;
    await this.unlock(sessionId);
  }

  /** Gives every session up and closes the lock connection. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.leases.clear();
    if (this.lost) return;
    this.lost = true;
    // Ending the connection releases every advisory lock it holds.
    await this.lock.end().catch(() => undefined);
  }

  private async tryLock(sessionId: string): Promise<boolean> {
    const { rows } = await this.lock.query<{ got: boolean }>(`SELECT pg_try_advisory_lock(${KEY}) AS got`, [sessionId]);
    return rows[0]!.got;
  }

  private async unlock(sessionId: string): Promise<void> {
    await this.lock.query(`SELECT pg_advisory_unlock(${KEY})`, [sessionId]);
  }

  /**
   * Ends the lock connection of a session's owner whose lease ran out, so its lock goes free.
   * True if there was such an owner.
   */
  private async breakStaleLease(sessionId: string): Promise<boolean> {
    const { rows } = await this.lock.query<{ pid: number }>(
      `SELECT l.pid FROM session_owners o
       JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
         AND ((l.classid::bigint << 32) | l.objid::bigint) = ${KEY}
       WHERE o.session_id = $1 AND o.renewed_at < now() - make_interval(secs => $2::double precision / 1000)`,
      [sessionId, this.opts.leaseMs],
    );
    if (rows.length === 0) return false;
    for (const { pid } of rows) {
      this.opts.log.info(`Taking over session ${sessionId}: its owner stopped renewing its lease`);
      await this.lock.query('SELECT pg_terminate_backend($1, $2)', [pid, Math.max(1000, this.opts.leaseMs)]);
    }
    return true;
  }

  /** Renews every lease under its own epoch; a lease nobody renewed any more is lost. */
  private async renew(): Promise<void> {
    if (this.lost || this.leases.size === 0) return;
    const leases = [...this.leases.values()];
    try {
      const { rows } = await this.lock.query<{ session_id: string }>(
        `UPDATE session_owners o SET renewed_at = now()
         FROM unnest($1::text[], $2::integer[]) AS l(session_id, epoch)
         WHERE o.session_id = l.session_id AND o.epoch = l.epoch
         RETURNING o.session_id`,
        [leases.map((l) => l.sessionId), leases.map((l) => l.epoch)],
      );
      const renewed = new Set(rows.map((r) => r.session_id));
      for (const lease of leases) if (!renewed.has(lease.sessionId)) this.stepDown(lease);
    } catch (err) {
      this.connectionLost(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private stepDown(lease: Lease): void {
    if (this.leases.get(lease.sessionId) !== lease) return;
    this.leases.delete(lease.sessionId);
    this.opts.log.info(`Session ${lease.sessionId} is owned by another node now (epoch ${lease.epoch} is over)`);
    this.opts.onLost?.(lease);
    if (!this.lost) this.unlock(lease.sessionId).catch(() => undefined);
  }

  private connectionLost(err: Error): void {
    if (this.lost) return;
    this.lost = true;
    clearInterval(this.timer);
    this.opts.log.error('The Postgres lock connection is gone; this node steps down from its sessions', err);
    for (const lease of [...this.leases.values()]) this.stepDown(lease);
  }
}

/** For tests and the bench: the epoch Postgres holds for a session now. */
export async function currentEpoch(db: HostedDb, sessionId: string): Promise<number | undefined> {
  const row = await db.selectFrom('session_owners').select('epoch').where('session_id', '=', sessionId).executeTakeFirst();
  return row?.epoch;
}
