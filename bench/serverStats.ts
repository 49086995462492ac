/**
 * What the soak scenario reads from inside the app server every few seconds: the server's own
 * counts of what it holds (open documents, sockets, Yjs connections, from `RunningServer.stats`),
 * the JS heap, and the event-loop delay since the previous read. Answered over IPC like the
 * loop delay (loopDelay.ts), with a monitor of its own so that the phases' readings are not reset.
 */
import type { ServerStats } from '../server/app.js';
import { loopMonitor, type LoopDelay } from './loopDelay.js';

export interface ServerSample extends ServerStats {
  heapUsedMb: number;
  heapTotalMb: number;
  /** Memory outside the JS heap held by JS objects (Buffers, ArrayBuffers): websocket frames, Yjs updates. */
  externalMb: number;
  /** Event-loop delay since the previous sample. */
  loop: LoopDelay;
}

/** In the app server: answers `{ stats: 'read' }` with a `ServerSample` and starts the next loop-delay interval. */
export function serveStats(read: () => ServerStats): void {
  const monitor = loopMonitor();
  const mb = (bytes: number) => bytes / 2 ** 20;
  process.on('message', (msg: { stats?: 'read' }) => {
    if (msg.stats !== 'read') return;
    const loop = monitor.read();
    monitor.reset();
    const mem = process.memoryUsage();
    const sample: ServerSample = { ...read(), heapUsedMb: mb(mem.heapUsed), heapTotalMb: mb(mem.heapTotal), externalMb: mb(mem.external), loop };
    process.send?.({ stats: sample });
  });
}
