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
  /** Whether a full garbage collection ran just before: then the heap is what the server keeps, not what it has yet to collect. */
  collected: boolean;
}

export interface StatsRequest {
  /** 'read' starts the next loop-delay interval; 'peek' leaves it running (a look in between samples). */
  stats: 'read' | 'peek';
  id: number;
  /** Collect garbage first, if the server runs with --expose-gc. */
  collect?: boolean;
}

/** In the app server: answers each `StatsRequest` with a `ServerSample` under the same id. */
export function serveStats(read: () => ServerStats): void {
  const monitor = loopMonitor();
  const mb = (bytes: number) => bytes / 2 ** 20;
  process.on('message', (msg: Partial<StatsRequest>) => {
    if (msg.stats !== 'read' && msg.stats !== 'peek') return;
    const loop = monitor.read();
    if (msg.stats === 'read') monitor.reset();
    const gc = (globalThis as { gc?: () => void }).gc;
    const collected = msg.collect === true && gc !== undefined;
    if (collected) gc();
    const mem = process.memoryUsage();
    const heap = { heapUsedMb: mb(mem.heapUsed), heapTotalMb: mb(mem.heapTotal), externalMb: mb(mem.external) };
    const sample: ServerSample = { ...read(), ...heap, loop, collected };
    process.send?.({ stats: sample, id: msg.id });
  });
}
