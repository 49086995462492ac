/**
 * Devices: a tablet that joined a session holds a random token and nothing else identifies it.
 * The database keeps only the token's hash.
 */
import type { Db } from './db.js';
import { statement } from './db.js';
import { AppError } from './errors.js';
import { GroupCommit } from './groupCommit.js';
import { hashSecret, newDeviceLabel, newId, newSecret } from './secrets.js';

export interface Device {
  id: string;
  sessionId: string;
  table: number | null;
  /** Short code on the tablet's screen; lets the facilitator move it without knowing whose it is. */
  label: string;
  /** Round in which the device last picked (or kept) its table. */
  pickedRound: string | null;
}

interface DeviceRow {
  id: string;
  session_id: string;
  table_number: number | null;
  label: string;
  picked_round: string | null;
}

const toDevice = (r: DeviceRow): Device => ({
  id: r.id,
  sessionId: r.session_id,
  table: r.table_number,
  label: r.label,
  pickedRound: r.picked_round,
});
const COLUMNS = 'id, session_id, table_number, label, picked_round';

/** Device commits that follow each other closely are at least this far apart. */
const GROUP_COMMIT_MS = 10;

/** Sessions whose devices are kept at once; more than a server runs in one evening. */
const KEPT_SESSIONS = 64;

export class Devices {
  /**
   * Devices read so far, by id, and every device of the sessions read as a whole. This class is
   * the only writer of the devices table once the server runs, so it keeps them up to date: a
   * ballot, a tally and the facilitator's overview of 5,000 phones each read the devices.
   */
  private readonly kept = new Map<string, Device>();
  private readonly sessions = new Map<string, Map<string, Device>>();
  private changes = 0;
  /** Writes waiting for the next group commit, and the labels they take. */
  private pending: (() => void)[] = [];
  private readonly pendingLabels = new Set<string>();
  /**
   * Joining and picking a table are one commit each; with hundreds of phones joining a second,
   * committing them one by one kept the server's thread waiting on fsyncs.
   */
  private readonly commits = new GroupCommit({
    spacingMs: GROUP_COMMIT_MS,
    isEmpty: () => this.pending.length === 0,
    commit: () => this.commit(),
    failed: () => this.forgetAll(),
  });

  constructor(private readonly db: Db) {}

  /** A new device; it is on disk, and may be told to the device, once `stored()` says so. */
  create(sessionId: string, now = Date.now()): { device: Device; token: string } {
    const token = newSecret();
    const id = newId();
    const taken = statement(this.db, 'SELECT 1 FROM devices WHERE session_id = ? AND label = ?');
    let label = newDeviceLabel();
    while (this.pendingLabels.has(`${sessionId}:${label}`) || taken.get(sessionId, label)) label = newDeviceLabel();
    this.pendingLabels.add(`${sessionId}:${label}`);
    const tokenHash = hashSecret(token);
    this.write(() =>
      statement(this.db, 'INSERT INTO devices (id, session_id, token_hash, table_number, created_at, label) VALUES (?, ?, ?, NULL, ?, ?)').run(
        id,
        sessionId,
        tokenHash,
        now,
        label,
      ),
    );
    return { device: this.keep({ id, sessionId, table: null, label, pickedRound: null }), token };
  }

  /** Resolves once every device written so far is committed. */
  stored(): Promise<void> {
    return this.commits.stored();
  }

  /** Commits what waits now (on shutdown). */
  flush(): void {
    this.commits.flush();
  }

  private write(run: () => void): void {
    this.pending.push(run);
    this.commits.schedule();
  }

  private commit(): void {
    const writes = this.pending;
    this.pending = [];
    this.pendingLabels.clear();
    this.db.transaction(() => {
      for (const run of writes) run();
    })();
  }

  /** After a failed commit, what is kept may hold devices the file does not: read them again. */
  private forgetAll(): void {
    this.changes++;
    this.kept.clear();
    this.sessions.clear();
  }

  byToken(sessionId: string, token: string): Device | undefined {
    const row = statement(this.db, `SELECT ${COLUMNS} FROM devices WHERE token_hash = ? AND session_id = ?`).get(hashSecret(token), sessionId) as
      DeviceRow | undefined;
    return row && this.keep(toDevice(row));
  }

  byId(id: string): Device | undefined {
    const kept = this.kept.get(id);
    if (kept) return kept;
    const row = statement(this.db, `SELECT ${COLUMNS} FROM devices WHERE id = ?`).get(id) as DeviceRow | undefined;
    return row && this.keep(toDevice(row));
  }

  /** Every device of a session, by id. */
  inSession(sessionId: string): ReadonlyMap<string, Device> {
    let devices = this.sessions.get(sessionId);
    if (!devices) {
      const rows = statement(this.db, `SELECT ${COLUMNS} FROM devices WHERE session_id = ?`).all(sessionId) as DeviceRow[];
      devices = new Map(rows.map((r) => [r.id, this.kept.get(r.id) ?? Object.freeze(toDevice(r))]));
      // A server that runs for months sees many evenings: what it keeps is for the ones running now.
      if (this.sessions.size >= KEPT_SESSIONS && this.pending.length === 0) {
        this.sessions.clear();
        this.kept.clear();
      }
      for (const d of devices.values()) this.kept.set(d.id, d);
      this.sessions.set(sessionId, devices);
      this.changes++;
    }
    return devices;
  }

  /** A device a connection proved at its handshake: gone only if its session was removed meanwhile. */
  require(id: string): Device {
    const device = this.byId(id);
    if (!device) throw new AppError('unauthorized', 'This device is not known any more; join again');
    return device;
  }

  byLabel(sessionId: string, label: string): Device | undefined {
    for (const d of this.inSession(sessionId).values()) if (d.label === label) return d;
    return undefined;
  }

  /**
   * Seats the device at a table; `round` is the round in which it chose (null before the start).
   * It is on disk once `stored()` says so.
   */
  setTable(device: Device, table: number, tableCount: number, round: string | null): Device {
    if (table < 1 || table > tableCount) throw new AppError('bad_request', `This session has tables 1 to ${tableCount}`);
    this.write(() => statement(this.db, 'UPDATE devices SET table_number = ?, picked_round = ? WHERE id = ?').run(table, round, device.id));
    return this.keep({ ...device, table, pickedRound: round });
  }

  /** Labels of the devices seated at each table, in label order. */
  labelsByTable(sessionId: string): Map<number, { id: string; label: string }[]> {
    const out = new Map<number, { id: string; label: string }[]>();
    for (const d of this.seatedDevices(sessionId)) {
      const seated = out.get(d.table);
      if (seated) seated.push({ id: d.id, label: d.label });
      else out.set(d.table, [{ id: d.id, label: d.label }]);
    }
    for (const list of out.values()) list.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    return out;
  }

  /** Devices that picked a table, per table number. */
  countByTable(sessionId: string): Map<number, number> {
    const out = new Map<number, number>();
    for (const d of this.seatedDevices(sessionId)) out.set(d.table, (out.get(d.table) ?? 0) + 1);
    return out;
  }

  /** Every device that picked a table, with its table. */
  seated(sessionId: string): { id: string; table: number }[] {
    return this.seatedDevices(sessionId).map((d) => ({ id: d.id, table: d.table }));
  }

  countJoined(sessionId: string): number {
    return this.seatedDevices(sessionId).length;
  }

  private seatedDevices(sessionId: string): (Device & { table: number })[] {
    const out: (Device & { table: number })[] = [];
    for (const d of this.inSession(sessionId).values()) if (d.table !== null) out.push(d as Device & { table: number });
    return out;
  }

  /**
   * Changes whenever a device kept here may have: one that joins, moves or is read again. What
   * is worked out from the devices (who is present at which table) can be kept until it does.
   */
  get revision(): number {
    return this.changes;
  }

  /** Keeps a device as written or read (frozen: every reader gets the same object). */
  private keep(device: Device): Device {
    this.changes++;
    const frozen = Object.freeze(device);
    this.kept.set(frozen.id, frozen);
    this.sessions.get(frozen.sessionId)?.set(frozen.id, frozen);
    return frozen;
  }
}
