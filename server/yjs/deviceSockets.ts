/**
 * The open Yjs connections of each device: for the limit on connections per device, and to
 * close a device's connections when it moves to another table.
 */
import type { WebSocket } from 'ws';

export class DeviceSockets {
  private readonly byDevice = new Map<string, Set<WebSocket>>();

  /** Devices with an entry here (an entry stays, empty, after the device's last connection closed). */
  get devices(): number {
    return this.byDevice.size;
  }

  count(deviceId: string): number {
    return this.byDevice.get(deviceId)?.size ?? 0;
  }

  add(deviceId: string, ws: WebSocket): void {
    const set = this.byDevice.get(deviceId) ?? new Set();
    set.add(ws);
    this.byDevice.set(deviceId, set);
  }

  remove(deviceId: string, ws: WebSocket): void {
    const open = this.byDevice.get(deviceId);
    open?.delete(ws);
    // A device that closed its last connection is forgotten, or every device of the evening would stay.
    if (open?.size === 0) this.byDevice.delete(deviceId);
  }

  /** Closes every connection of this device, e.g. when it moves to another table. */
  disconnect(deviceId: string): void {
    // 44xx tells y-websocket the refusal is permanent, so the old table's provider stops retrying.
    for (const ws of this.byDevice.get(deviceId) ?? []) ws.close(4403, 'moved to another table');
    this.byDevice.delete(deviceId);
  }
}
