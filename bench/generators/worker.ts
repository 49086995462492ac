/** The generator's side of the IPC channel: answers each command of the orchestrator once. */
import type { Command, Reply, Request, Results } from '../ipc.js';
import { loopMonitor } from '../loopDelay.js';

export type Handlers = { [C in Command as C['cmd']]?: (args: C['args']) => Promise<Results[C['cmd']]> };

export function serve(handlers: Handlers, shutdown: () => void): void {
  if (!process.send) throw new Error('a load generator runs as a forked child of bench/run.ts');
  const reply = (r: Reply) => process.send!(r);
  const loop = loopMonitor();
  process.on('message', (msg: Request) => {
    loop.reset();
    const handler = handlers[msg.cmd] as ((args: unknown) => Promise<unknown>) | undefined;
    if (!handler) {
      reply({ id: msg.id, ok: false, error: `this generator does not handle ${msg.cmd}` });
      return;
    }
    handler(msg.args).then(
      (data) => reply({ id: msg.id, ok: true, data, loop: loop.read() }),
      (err: unknown) => reply({ id: msg.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
  });
  // Without the orchestrator nobody will ask for results: close the sockets and leave.
  const stop = () => {
    shutdown();
    process.exit(0);
  };
  process.once('disconnect', stop);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
