/**
 * A small levelled logger. Callers pass fixed messages and plain facts; secrets, tokens and
 * ballot contents are never handed to it, so no log line can break anonymity. As a second line
 * of defence, credentials in the forms they travel in (a Bearer header, a link's `#key=`, a Yjs
 * sub-protocol, a JSON field) are blanked out should an error message ever quote one.
 */
import type { Config } from './config.js';

const ORDER = { silent: 0, error: 1, info: 2, debug: 3 } as const;

const CREDENTIALS = [
  /(\bBearer\s+)[A-Za-z0-9_-]+/gi,
  /([#&?]key=)[A-Za-z0-9_-]+/g,
  /(\b(?:device|host|facilitator)\.)[A-Za-z0-9_-]{16,}/g,
  /("(?:key|token|secret|facilitatorKey|deviceToken|hostKey)"\s*:\s*")[^"]*/g,
];

export function redact(line: string): string {
  return CREDENTIALS.reduce((out, pattern) => out.replace(pattern, '$1[redacted]'), line);
}

export interface Logger {
  error(message: string, detail?: unknown): void;
  info(message: string): void;
  debug(message: string): void;
}

export function createLogger(level: Config['logLevel'], sink: (line: string) => void = (l) => console.log(l)): Logger {
  const at = ORDER[level];
  const write = (lvl: keyof typeof ORDER, message: string) => {
    if (ORDER[lvl] <= at) sink(`${new Date().toISOString()} ${lvl.padEnd(5)} ${redact(message)}`);
  };
  return {
    error: (message, detail) =>
      write('error', detail instanceof Error ? `${message}: ${detail.stack ?? detail.message}` : message),
    info: (message) => write('info', message),
    debug: (message) => write('debug', message),
  };
}
