/**
 * Every process the bench starts (servers, load generators) is registered here, so that all of
 * them end with the run: at the end, on an error, and on Ctrl-C. Children also exit by
 * themselves when their IPC channel to the orchestrator closes (see generators/worker.ts).
 */
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

export function adopt<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  // A message to a child that just died fails with an 'error' event; its exit is reported elsewhere.
  child.on('error', (err) => process.stderr.write(`bench: child ${child.pid}: ${err.message}\n`));
  return child;
}

/** Asks one child to stop (SIGTERM), and kills it if it has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (!running(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (running(child)) child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c)));
}

/** Ctrl-C or a kill of the orchestrator ends every child first; a plain exit kills what is left. */
export function stopChildrenOnExit(): void {
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    process.stderr.write(`\n${signal}: stopping the bench processes...\n`);
    void stopAll().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  process.on('exit', () => {
    for (const child of children) if (running(child)) child.kill('SIGKILL');
  });
}
