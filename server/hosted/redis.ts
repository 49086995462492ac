/**
 * The Redis connection of a hosted node (REDIS_URL): shared join limits, and the socket.io
 * adapter that carries a session's broadcasts to the nodes its screens and voters reached.
 * A laptop in a room has no Redis: everything it would hold stays in the process.
 */
import { createClient } from 'redis';
import type { Logger } from '../log.js';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * Connects, and keeps reconnecting for as long as the node runs: a node without Redis still
 * serves its own clients (join limits fall back to memory, see rateLimit.ts). Errors are logged
 * once per outage, not once per retry.
 */
export async function connectRedis(url: string, log: Logger): Promise<RedisClient> {
  const client = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) } });
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
  await client.connect();
  return client;
}
