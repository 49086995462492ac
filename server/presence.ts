/**
 * Who is in the room: a device counts while it is connected and for a while after it went
 * quiet (a tablet that sleeps or reloads comes back), not forever. Turnout is counted against
 * this, so tablets that left do not make the turnout look low. Kept in memory: after a restart
 * every tablet reconnects within seconds.
 */
import { PRESENT_MINUTES } from '../shared/protocol.js';
import type { Devices } from './devices.js';

const PRESENT_MS = PRESENT_MINUTES * 60_000;
/** Counts kept for this many sessions at most: a server that runs for months sees many evenings. */
const KEPT_SESSIONS = 64;

export class Presence {
  private readonly left = new Map<string, number>();
  private changes = 0;
  private readonly counted = new Map<string, { key: string; byTable: ReadonlyMap<number, number> }>();

  /**
   * Devices this server has not seen since `startedAt` count as if they left then: after a
   * restart nobody knows who was in the room, and tablets reconnect within seconds.
   */
  constructor(
    private readonly connected: (deviceId: string) => boolean,
    private readonly startedAt = Date.now(),
  ) {}

  /** The device has a connection open (again). */
  arrived(deviceId: string): void {
    this.left.delete(deviceId);
    this.changes++;
  }

  /** The device's last connection closed. */
  wentAway(deviceId: string, now = Date.now()): void {
    this.left.set(deviceId, now);
    this.changes++;
  }

  isPresent(deviceId: string, now = Date.now()): boolean {
    if (this.connected(deviceId)) return true;
    const left = this.left.get(deviceId) ?? this.startedAt;
    if (now - left < PRESENT_MS) return true;
    this.left.delete(deviceId);
    return false;
  }

  /**
   * The present devices per table, among those seated. A live tally asks ten times a second,
   * and asking 5,000 phones each time was a fifth of what a ballot cost; the counts are kept
   * until they may have changed: a device arrives, leaves, joins or moves, or an absence runs out.
   */
  presentByTable(sessionId: string, devices: Pick<Devices, 'revision' | 'seated'>, now = Date.now()): ReadonlyMap<number, number> {
    const key = `${this.stamp(now)}|${devices.revision}`;
    const kept = this.counted.get(sessionId);
    if (kept?.key === key) return kept.byTable;
    const byTable = new Map<number, number>();
    for (const d of devices.seated(sessionId)) if (this.isPresent(d.id, now)) byTable.set(d.table, (byTable.get(d.table) ?? 0) + 1);
    if (this.counted.size >= KEPT_SESSIONS) this.counted.clear();
    this.counted.set(sessionId, { key, byTable });
    return byTable;
  }

  /**
   * Changes whenever who is present may have: an absence that runs out changes it without any
   * event, so those are dropped here (a device without an entry counts from `startedAt`, which
   * ran out before its absence did).
   */
  private stamp(now: number): string {
    for (const [id, left] of this.left) {
      if (now - left >= PRESENT_MS) {
        this.left.delete(id);
        this.changes++;
      }
    }
    return `${this.changes}|${now - this.startedAt >= PRESENT_MS}`;
  }
}
