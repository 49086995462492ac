/**
 * The real entry point, `node --import tsx server/main.ts`, as a child process: for tests that
 * must see whether a fault brings the whole process down, or that kill it and start it again on
 * the same port and data dir so its clients find it back at the same URL. Every other test runs
 * the server in-process (test/helpers/server.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { freePort } from './processes.js';
import { storageEnv } from './storage.js';

export { freePort };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface MainProcess {
  url: string;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface MainProcessOptions {
  port: number;
  dataDir: string;
  env?: Record<string, string>;
}

/** Starts server/main.ts (API, socket.io and Yjs; no client build) and waits until it answers. */
export async function startMainProcess(opts: MainProcessOptions): Promise<MainProcess> {
  const proc = await spawnMainProcess(opts);
  await answering(proc);
  return proc;
}

/** Starts server/main.ts without waiting for it: a hosted standby answers only once it serves. */
export async function spawnMainProcess(opts: MainProcessOptions): Promise<MainProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...(await storageEnv(opts.dataDir)),
      ...opts.env,
      PORT: String(opts.port),
      HOST: '127.0.0.1',
      DATA_DIR: opts.dataDir,
      SERVE_CLIENT: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { url: `http://127.0.0.1:${opts.port}`, child, output: () => out, exited };
}

/** Waits until the process answers its health check (or kills it, if it exits or never does). */
export async function answering(proc: MainProcess, timeoutMs = 30_000): Promise<void> {
  const { url, child, exited } = proc;
  const answers = vi.waitFor(
    async () => {
      const res = await fetch(`${url}/api/health`);
      if (res.status !== 200) throw new Error(`health answered ${res.status}`);
    },
    { timeout: timeoutMs, interval: 50 },
  );
  const died = exited.then(({ code, signal }) => {
    throw new Error(`the server process exited (${code ?? signal}) before it answered:\n${proc.output()}`);
  });
  died.catch(() => undefined); // only the race below listens to it
  try {
    await Promise.race([answers, died]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

/** The server in a process of its own on a free port and a fresh data dir, removed again by `stop`. */
export async function startIsolatedServer(env: Record<string, string> = {}): Promise<MainProcess & { stop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-process-'));
  const proc = await startMainProcess({ port: await freePort(), dataDir, env });
  return {
    ...proc,
    async stop() {
      if (proc.child.exitCode === null && proc.child.signalCode === null) {
        proc.child.kill('SIGTERM');
        await proc.exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
