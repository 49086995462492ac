/**
 * Event-loop delay of a bench process (server or generator), from Node's own histogram. A
 * busy loop delays everything that process does, so this tells whether a latency came from
 * the server being busy or from the load generators not keeping up.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/** A server's loop delay, with its JS heap in use when it was read (RSS minus this is mostly buffers and free heap). */
export interface ServerLoop extends LoopDelay {
  heapUsedMb: number;
}

export function loopMonitor(): { read(): LoopDelay; reset(): void } {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  // The histogram is in nanoseconds, and counts the sampling resolution in every delay.
  const ms = (ns: number) => Math.max(0, ns / 1e6 - 10);
  return {
    read: () => ({ p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) }),
    reset: () => h.reset(),
  };
}

/**
 * In a server under test: answers the orchestrator's `{ loop: 'reset' | 'read' }` over IPC, so
 * the delay can be read per phase without touching the server's code.
 */
export function serveLoopDelay(): void {
  const monitor = loopMonitor();
  process.on('message', (msg: { loop?: 'reset' | 'read' }) => {
    if (msg.loop === 'reset') monitor.reset();
    if (msg.loop) process.send?.({ loop: { ...monitor.read(), heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20 } satisfies ServerLoop });
  });
}
