/** `npm start`: build the client if needed, then serve everything on one port. */
import { startServer } from './app.js';
import { ensureClientBuilt } from './clientBuild.js';
import { ConfigError, ROOT_DIR, loadConfig, type Config } from './config.js';
import { createLogger } from './log.js';
import { lanAddresses } from './urls.js';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
const log = createLogger(config.logLevel);

try {
  if (config.clientDir) await ensureClientBuilt(ROOT_DIR, config.clientDir, log);
  // Hosted mode: a node that lost the database to another stops; its service manager starts it again.
  const server = await startServer(config, { log, onLost: () => process.exit(1) });
  const scheme = config.https ? 'https' : 'http';
  const lan = config.host === '0.0.0.0' ? lanAddresses().map((a) => `${scheme}://${a}:${server.port}`) : [];
  console.log(
    [
      '',
      `  Tafelronde is running.`,
      `  On this laptop:   ${server.url}`,
      ...lan.map((u, i) => `  ${i === 0 ? 'For the tablets:' : '                '}  ${u}`),
      ...(config.https ? [`  Trust it once:    ${(lan[0] ?? server.url).replace(/^https:/, 'http:')}/certificaat (on each tablet)`] : []),
      `  Data is kept in:  ${config.dataDir}`,
      '  Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') log.error(`Port ${config.port} is already in use. Stop the other program or start with PORT=<another port>.`);
  else log.error('Tafelronde could not start', err);
  process.exit(1);
}
