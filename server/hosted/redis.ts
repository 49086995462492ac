/**
 * The Redis connection of a hosted node (REDIS_URL): join limits shared by the nodes. A laptop in
 * a room has no Redis: what it would hold stays in the process.
 */
import { createClient } from 'redis';
import type { Logger } from '../log.js';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * A client that connects in the background and keeps reconnecting for as long as the node runs:
 * a node starts, and serves its own clients, while Redis is away (join limits then count in its
 * memory, see rateLimit.ts). Commands fail at once while it is not connected rather than waiting
 * in a queue, and a ping every few seconds notices a connection that died without closing.
 * Errors are logged once per outage, not once per retry.
 */
export function connectRedis(url: string, log: Logger): RedisClient {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    pingInterval: 5000,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.error('Redis is unreachable; join limits count per node until it is back', err);
  });
  client.on('ready', () => {
    if (down) log.info('Redis is back');
    down = false;
  });
  // The first connection fails like any later one: logged above, and tried again.
  client.connect().catch(() => undefined);
  return client;
}
