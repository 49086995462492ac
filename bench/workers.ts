/** The orchestrator's side of a load-generator process: fork it, send commands, await the answers. */
import { fork, type ChildProcess } from 'node:child_process';
import { adopt, stopChild } from './children.js';
import type { Command, Reply, Request, Results } from './ipc.js';
import type { LoopDelay } from './loopDelay.js';
import { ProcSampler } from './procSampler.js';

export interface Worker {
  name: string;
  child: ChildProcess;
  /** The generator's event-loop delay during the last command it answered. */
  lastLoop: LoopDelay | null;
  /** Its CPU use: on a small machine the clients take cores from the server, which the report shows. */
  sampler: ProcSampler;
  request<C extends Command>(command: C): Promise<Results[C['cmd']]>;
  stop(): Promise<void>;
}

export function forkWorker(script: string, name: string, cwd: string): Worker {
  // tsx as a loader (not its CLI) keeps one process per generator, whose pid is the one we start.
  const child = adopt(fork(script, [], { cwd, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  child.on('message', (msg: Reply) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) {
      worker.lastLoop = msg.loop;
      p.resolve(msg.data);
    } else {
      p.reject(new Error(`${name}: ${msg.error}`));
    }
  });
  const sampler = new ProcSampler(child.pid!);
  child.once('exit', (code, signal) => {
    sampler.stop();
    for (const p of pending.values()) p.reject(new Error(`${name} exited (${signal ?? code}) before it answered`));
    pending.clear();
  });
  const worker: Worker = {
    name,
    child,
    lastLoop: null,
    sampler,
    request(command) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve, reject });
        child.send({ ...command, id } satisfies Request);
      });
    },
    stop: () => stopChild(child),
  };
  return worker;
}

/** The worst generator's event-loop delay in the last command: whether the clients kept up. */
export function worstLoop(workers: Worker[]): LoopDelay {
  const loops = workers.map((w) => w.lastLoop).filter((l): l is LoopDelay => l !== null);
  return { p50: Math.max(0, ...loops.map((l) => l.p50)), p99: Math.max(0, ...loops.map((l) => l.p99)), max: Math.max(0, ...loops.map((l) => l.max)) };
}

export function forkWorkers(rootDir: string, generator: 'room' | 'maxi' | 'soak', n: number): Worker[] {
  const script = `${rootDir}/bench/generators/${generator}.ts`;
  return Array.from({ length: n }, (_, i) => forkWorker(script, `${generator}-${i + 1}`, rootDir));
}

/** `n` split into `k` near-equal whole parts, larger ones first. */
export function splitEvenly(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}
