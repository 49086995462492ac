/**
 * `--busy N`: N processes that each keep one core busy for the whole run, a stand-in for the
 * facilitator's browser showing the console and the projector on the same laptop. Each spins in
 * slices of 50 ms so it still hears its stop signal; it exits by itself if the orchestrator dies.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { adopt, stopChild } from './children.js';

const SELF = fileURLToPath(import.meta.url);

export function startBusy(count: number): { stop(): Promise<void> } {
  const spinners: ChildProcess[] = Array.from({ length: count }, () => adopt(fork(SELF, ['--spin'], { execArgv: ['--import', 'tsx'] })));
  return { stop: async () => void (await Promise.all(spinners.map((c) => stopChild(c)))) };
}

function spin(): void {
  const until = Date.now() + 50;
  while (Date.now() < until) {
    // Burn the slice: this process exists to take a core away from the server under test.
  }
  setImmediate(spin);
}

if (process.argv.includes('--spin')) {
  process.once('disconnect', () => process.exit(0));
  spin();
}
