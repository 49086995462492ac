/**
 * Who is in the room: a device counts while it is connected and for a while after it went
 * quiet (a tablet that sleeps or reloads comes back), not forever. Turnout is counted against
 * this, so tablets that left do not make the turnout look low. Kept in memory: after a restart
 * every tablet reconnects within seconds.
 */
import { PRESENT_MINUTES } from '../shared/protocol.js';

export class Presence {
  private readonly left = new Map<string, number>();

  /**
   * Devices this server has not seen since `startedAt` count as if they left then: after a
   * restart nobody knows who was in the room, and tablets reconnect within seconds.
   */
  constructor(
    private readonly connected: (deviceId: string) => boolean,
    private readonly startedAt = Date.now(),
  ) {}

  /** The device's last connection closed. */
  wentAway(deviceId: string, now = Date.now()): void {
    this.left.set(deviceId, now);
  }

  isPresent(deviceId: string, now = Date.now()): boolean {
    if (this.connected(deviceId)) return true;
    const left = this.left.get(deviceId) ?? this.startedAt;
    if (now - left < PRESENT_MINUTES * 60_000) return true;
    this.left.delete(deviceId);
    return false;
  }
}
