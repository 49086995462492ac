/**
 * A real redis-server for the hosted-mode tests and the bench, on a free port with its files in a temporary
 * directory and nothing saved to disk. CI installs it (.ci/run); on a machine without it these
 * tests are skipped, except in CI where a missing server fails them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { freePort, onAFreePort, until } from './processes.js';

const REDIS_SERVER = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();

/** Whether the hosted-mode tests that need Redis run here: always in CI. */
export const redisAvailable = REDIS_SERVER !== '' || process.env.CI === 'true';

export interface RedisProcess {
  url: string;
  /** The server process, for a test that takes Redis away. */
  child: ChildProcess;
  /** Stops the server (if it still runs) and removes its directory. */
  stop(): Promise<void>;
}

/** Waits until a node's Redis client is connected (it connects in the background). */
export async function redisReady(client: { isReady: boolean } | undefined): Promise<void> {
  await until(
    () => {
      if (!client?.isReady) throw new Error('the Redis client is not connected');
    },
    10_000,
    20,
  );
}

/** A redis-server on a free port; tried again on another port if one was taken meanwhile. */
export async function startRedis(): Promise<RedisProcess> {
  return onAFreePort(() => startRedisOnce());
}

async function startRedisOnce(): Promise<RedisProcess> {
  if (!REDIS_SERVER) throw new Error('redis-server is not installed (apt-get install redis-server; .ci/run does)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-redis-'));
  const port = await freePort();
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const url = `redis://127.0.0.1:${port}`;
  try {
    await until(async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited:\n${out}`);
      const probe = createClient({ url, socket: { reconnectStrategy: false } });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
      } finally {
        probe.destroy();
      }
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, child, stop };
}
