/**
 * The real Tafelronde server as the bench runs it: server/app.ts's `startServer` with the
 * configuration from the environment, as server/main.ts does, but without building or serving
 * the client (main.ts would run a Vite build when client sources changed, which is slow and
 * not what is measured). Tells the orchestrator its URL over IPC and stops with it.
 */
import { startServer } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { serveLoopDelay } from './loopDelay.js';
import { serveStats } from './serverStats.js';

const server = await startServer(loadConfig(process.env, { clientDir: null }));
process.send?.({ url: server.url, pid: process.pid });
serveLoopDelay();
serveStats(() => server.stats());

const stop = () => {
  void server.close().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.once('disconnect', stop);
