/**
 * What the helpers that start real processes (redis-server, nginx, Postgres) share, without
 * vitest, so that the bench can start them too: a free port, starting again when another process
 * took it first, and waiting until one answers.
 */
import net from 'node:net';

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Tries `check` until it resolves, every `intervalMs`, for at most `timeoutMs`; then throws its last error. */
export async function until<T>(check: () => Promise<T> | T, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() >= end) throw err;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/**
 * Starts a process on a free port, and again (at most three times) if another process took the
 * port between `freePort` and the start: tests run in parallel.
 */
export async function onAFreePort<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt === 3 || !String(err).includes('Address already in use')) throw err;
    }
  }
}
