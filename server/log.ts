/**
 * The server's logger: pino, behind the small interface the rest of the server uses. Callers
 * pass fixed messages and plain facts; secrets, tokens and ballot contents are never handed to
 * it, so no log line can break anonymity. As a second line of defence, two kinds of blanking:
 *
 * - pino's `redact` blanks structured fields by name (`*.token`, `req.headers.authorization`,
 *   ...), wherever an error's properties or a logged object put them;
 * - credentials in the forms they travel in (a Bearer header, a link's `#key=`, a Yjs
 *   sub-protocol, a JSON field) are blanked inside every string that reaches pino: the message,
 *   an error's message and stack, and any string field, should one ever quote them. pino's
 *   `redact` works on paths only, so this is done before it serializes (see `scrub`).
 *
 * Lines are written plain, one per entry (`<time> <level> <message>`, an error's stack and any
 * other fields after it), for the facilitator who reads the terminal; pino's JSON is parsed
 * back for that, so everything above is applied by pino itself whatever the output.
 */
import pino from 'pino';
import type { Config } from './config.js';

const CREDENTIALS = [
  /(\bBearer\s+)[A-Za-z0-9_-]+/gi,
  /([#&?]key=)[A-Za-z0-9_-]+/g,
  /(\b(?:device|host|facilitator)\.)[A-Za-z0-9_-]{16,}/g,
  /("(?:key|token|secret|facilitatorKey|deviceToken|hostKey)"\s*:\s*")[^"]*/g,
];

const CENSOR = '[redacted]';

export function redact(line: string): string {
  return CREDENTIALS.reduce((out, pattern) => out.replace(pattern, `$1${CENSOR}`), line);
}

/**
 * Fields whose value is a credential or would link a ballot to a tablet. pino's paths have a
 * fixed depth (no recursive wildcard), so these are blanked at the top level and three levels
 * down: `token`, `err.token`, `req.headers.authorization`, `session.tables[0].hostKey`.
 */
const SECRET_FIELDS = ['key', 'token', 'secret', 'facilitatorKey', 'deviceToken', 'hostKey', 'ballotId', 'responseId'];
/** Request headers that carry credentials (the Yjs sub-protocol carries `device.<token>`), as in `req.headers`. */
const SECRET_HEADERS = ['headers.authorization', 'headers.cookie', 'headers["sec-websocket-protocol"]'];

export const REDACT_PATHS = [...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`]), ...SECRET_HEADERS.flatMap((h) => [h, `*.${h}`])];

const MAX_DEPTH = 8;

/** An error as pino writes it (type, message and stack with causes, own properties), its strings scrubbed. */
function serializeError(err: unknown, seen: WeakSet<object>, depth: number): unknown {
  return scrub(pino.stdSerializers.err(err as Error), seen, depth);
}

/**
 * A copy of `value` with `redact` applied to every string in it, errors serialized on the way
 * (their message and stack are not enumerable, so would otherwise be left out or left as is).
 */
function scrub(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[...]';
  seen.add(value);
  try {
    if (value instanceof Error) return serializeError(value, seen, depth);
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return scrub((value as { toJSON(): unknown }).toJSON(), seen, depth + 1);
    if (Array.isArray(value)) return value.map((v) => scrub(v, seen, depth + 1));
    const out = Object.create(null) as Record<string, unknown>; // so that a field named `__proto__` stays a field
    for (const [k, v] of Object.entries(value)) out[k] = scrub(v, seen, depth + 1);
    return out;
  } finally {
    seen.delete(value);
  }
}

export interface Logger {
  error(message: string, detail?: unknown): void;
  info(message: string): void;
  debug(message: string): void;
}

interface Entry {
  time: string;
  level: string;
  msg?: string;
  err?: { message?: unknown; stack?: unknown };
  [field: string]: unknown;
}

/** One of pino's JSON lines as the plain line written to the terminal. */
function plainLine(json: string): string {
  const { time, level, msg = '', err, ...fields } = JSON.parse(json) as Entry;
  let line = `${String(time)} ${String(level).padEnd(5)} ${String(msg)}`;
  if (err !== undefined) {
    const { message, stack, type: _type, ...props } = err as Record<string, unknown>;
    line += `: ${typeof stack === 'string' ? stack : typeof message === 'string' ? message : JSON.stringify(err)}`;
    if (Object.keys(props).length > 0) fields.err = props;
  }
  if (Object.keys(fields).length > 0) line += ` ${JSON.stringify(fields)}`;
  return line;
}

export function createLogger(level: Config['logLevel'], sink: (line: string) => void = (l) => console.log(l)): Logger {
  const logger = pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        // Every field but `err`, which the serializer below takes.
        log: (object) => {
          const seen = new WeakSet<object>([object]);
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(object)) out[k] = k === 'err' ? v : scrub(v, seen, 1);
          return out;
        },
      },
      serializers: { err: (err: unknown) => serializeError(err, new WeakSet(), 0) },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      hooks: {
        // The message, and any other string argument.
        logMethod(args, method) {
          method.apply(this, args.map((a: unknown) => (typeof a === 'string' ? redact(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    // Synchronous, so that a line logged just before `process.exit` is written.
    { write: (json: string) => sink(plainLine(json)) },
  );
  return {
    error: (message, detail) => {
      if (detail === undefined) logger.error(message);
      else if (detail instanceof Error) logger.error({ err: detail }, message);
      else if (detail !== null && typeof detail === 'object' && !Array.isArray(detail)) logger.error(detail, message);
      else logger.error({ detail }, message);
    },
    info: (message) => logger.info(message),
    debug: (message) => logger.debug(message),
  };
}
