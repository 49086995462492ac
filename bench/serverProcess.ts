/**
 * Starts the server under test, the app (appServer.ts) or the bare baseline (bareServer.ts), as
 * a process of its own on a free port, and samples its CPU and memory while it runs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adopt, stopChild } from './children.js';
import type { ServerLoop } from './loopDelay.js';
import { ProcSampler } from './procSampler.js';
import type { ServerSample, StatsRequest } from './serverStats.js';

/**
 * Environment of the app server. LOG_LEVEL=error keeps the server quiet but shows real faults.
 * The join limits are per IP address, and every bench client comes from 127.0.0.1: set high,
 * or the thousands of phones of the maxi scenario would be refused. The per-connection limits
 * (events a second, connections per device) stay at their defaults: no bench client comes near them.
 */
export const APP_SERVER_ENV: Record<string, string> = {
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'error',
  JOINS_PER_MINUTE: '1000000',
  JOIN_FAILURES_PER_MINUTE: '1000000',
};

export interface ServerUnderTest {
  kind: 'app' | 'bare';
  url: string;
  pid: number;
  sampler: ProcSampler;
  /** Starts a new measurement of the server's event-loop delay, or reads it since the last start. */
  loopDelay(action: 'reset' | 'read'): Promise<ServerLoop>;
  /**
   * What the app server holds and its heap now, and its loop delay since the last 'read' (the
   * soak's samples; app only). 'peek' leaves the loop-delay interval running; `collect` runs a
   * full garbage collection first (a server started with `exposeGc`), so the heap is what is kept.
   */
  stats(mode?: 'read' | 'peek', collect?: boolean): Promise<ServerSample>;
  /** Rejects if the process ends before `stop()`: race a scenario against it, so a crash ends the run at once. */
  crashed: Promise<never>;
  /** Reads the peak RSS (VmHWM), then stops the process and removes its data; safe to call twice. */
  stop(): Promise<{ peakRssMb: number }>;
}

export interface ServerOptions {
  /**
   * Where the app's temporary DATA_DIR is made (default: the OS temp dir). The database commits
   * every ballot and board update with an fsync, so the file system it is on shows in the
   * latencies; pointing this at a RAM disk (/dev/shm) shows how much.
   */
  dataParent?: string;
  /** Write a V8 CPU profile of the server here (node --cpu-prof), to find where its time goes. */
  profileDir?: string;
  /** Start the server with --expose-gc, so `stats(mode, true)` can collect garbage before reading the heap (the soak does). */
  exposeGc?: boolean;
  /** More environment for the app server, e.g. REDIS_URL (the hosted scenario). */
  env?: Record<string, string>;
}

export async function startServer(kind: 'app' | 'bare', rootDir: string, opts: ServerOptions = {}): Promise<ServerUnderTest> {
  const dataDir = kind === 'app' ? fs.mkdtempSync(path.join(opts.dataParent ?? os.tmpdir(), 'tafelronde-bench-')) : null;
  // Also when the orchestrator ends without stopping the server (an error, Ctrl-C).
  const removeData = () => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', removeData);
  const script = path.join(rootDir, 'bench', kind === 'app' ? 'appServer.ts' : 'bareServer.ts');
  const child: ChildProcess = adopt(
    fork(script, [], {
      cwd: rootDir,
      // A directory per run: the tsx loader's worker thread writes a profile of its own next to the main thread's (…<pid>.0.001).
      execArgv: [
        '--import',
        'tsx',
        ...(opts.exposeGc ? ['--expose-gc'] : []),
        ...(opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(opts.profileDir, `${kind}-${Date.now()}`)}`] : []),
      ],
      env: { ...process.env, ...APP_SERVER_ENV, ...opts.env, ...(dataDir && { DATA_DIR: dataDir }) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const { url, pid } = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; pid: number }));
    child.once('exit', (code) => reject(new Error(`the ${kind} server exited (${code}) before it listened`)));
  });
  const sampler = new ProcSampler(pid);
  let stopped: Promise<{ peakRssMb: number }> | null = null;
  let statsRequests = 0;
  const crashed = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      if (!stopped) reject(new Error(`the ${kind} server exited (${signal ?? code}) during the run; see its output above`));
    });
  });
  crashed.catch(() => {});
  return {
    kind,
    url,
    pid,
    sampler,
    crashed,
    loopDelay(action) {
      return new Promise((resolve, reject) => {
        if (!child.connected) return reject(new Error(`the ${kind} server is not running`));
        const onMessage = (m: { loop?: ServerLoop }) => {
          if (!m.loop) return;
          child.off('message', onMessage);
          resolve(m.loop);
        };
        child.on('message', onMessage);
        child.send({ loop: action });
      });
    },
    stats(mode = 'read', collect = false) {
      return new Promise((resolve, reject) => {
        if (kind !== 'app') return reject(new Error('only the app server reports what it holds'));
        if (!child.connected) return reject(new Error(`the ${kind} server is not running`));
        const id = ++statsRequests;
        const onMessage = (m: { stats?: ServerSample; id?: number }) => {
          if (!m.stats || m.id !== id) return;
          child.off('message', onMessage);
          resolve(m.stats);
        };
        child.on('message', onMessage);
        child.send({ stats: mode, id, collect } satisfies StatsRequest);
      });
    },
    stop() {
      stopped ??= (async () => {
        const peakRssMb = sampler.peakRssMb();
        sampler.stop();
        // A server with thousands of sockets (and a CPU profile to write) needs a while to close.
        await stopChild(child, 20_000);
        removeData();
        process.off('exit', removeData);
        return { peakRssMb };
      })();
      return stopped;
    },
  };
}

/** Runs a scenario's steps against the server, failing as soon as the server dies instead of waiting for timeouts. */
export function whileRunning<T>(server: ServerUnderTest, steps: () => Promise<T>): Promise<T> {
  return Promise.race([steps(), server.crashed]);
}
