/** The one place the server's settings come from: typed defaults, overridden by the environment. */
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const count = (def: number, max: number) => z.coerce.number().int().min(1).max(max).default(def);

/** A comma-separated list of http(s) origins, e.g. `https://a.example,http://10.0.0.5:3000`. */
const OriginList = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const out: string[] = [];
    for (const item of value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      let url: URL | null = null;
      try {
        url = new URL(item);
      } catch {
        // reported below
      }
      const bare = url && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
      if (!url || !bare || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not an origin like http://192.168.1.20:3000 (scheme, host and port only)` });
        continue;
      }
      out.push(url.origin);
    }
    return out;
  });

/** Express's names for address ranges, allowed in TRUST_PROXY. */
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** Express's `trust proxy`: empty (trust none), or addresses, subnets and its names for ranges. */
const TrustedProxies = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const items = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const item of items) {
      const [address, bits, ...rest] = item.split('/');
      const named = PROXY_RANGES.includes(item);
      const family = isIP(address ?? '');
      const maxBits = family === 6 ? 128 : 32;
      const subnetOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
      if (!named && (family === 0 || !subnetOk || rest.length > 0)) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not an address, a subnet like 10.0.0.0/8, or one of ${PROXY_RANGES.join(', ')}` });
      }
    }
    return items.length ? items.join(',') : false;
  });

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Base URL that tablets should use, e.g. http://192.168.1.20:3000; found from the LAN address when unset. */
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['silent', 'error', 'info', 'debug']).default('info'),
  /** Pages on other origins that may open socket.io and Yjs connections (besides the app's own). */
  ALLOWED_ORIGINS: OriginList,
  /** `false`: API, socket.io and Yjs only, e.g. when another server serves the client. */
  SERVE_CLIENT: z.enum(['true', 'false']).default('true'),
  JOIN_FAILURES_PER_MINUTE: count(20, 1_000_000),
  JOINS_PER_MINUTE: count(120, 1_000_000),
  EVENTS_PER_SECOND: count(30, 1_000_000),
  EVENT_BURST: count(60, 1_000_000),
  CONNECTIONS_PER_DEVICE: count(4, 1000),
  /** `true`: HTTPS with a local certificate authority made in DATA_DIR/tls (see docs/https.md). */
  HTTPS: z.enum(['true', 'false']).default('false'),
  /** Hosted mode: Redis for what the nodes share (today the join limits); see docs/deploy.md. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'REDIS_URL must look like redis://host:6379' }).optional(),
  /** Proxies whose X-Forwarded-For (and -Proto) Express believes, e.g. `loopback` behind nginx. */
  TRUST_PROXY: TrustedProxies,
  /** Hosted mode: the data lives in Postgres, DATA_DIR holds only this node's working copy; see docs/deploy.md. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must look like postgres://user:password@host:5432/database' }).optional(),
});

/** Limits that keep one client from swamping the room; see README, "Limits". */
export interface Limits {
  /** Join requests per IP address per minute that name no session (guessing codes). */
  joinFailuresPerMinute: number;
  /** Join requests per IP address per minute, right or wrong. */
  joinsPerMinute: number;
  /** Socket.io events one connection may send per second, sustained... */
  eventsPerSecond: number;
  /** ...and in one burst. */
  eventBurst: number;
  /** Open socket.io connections per device token, and as many Yjs connections. */
  connectionsPerDevice: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string | undefined;
  logLevel: 'silent' | 'error' | 'info' | 'debug';
  /** Built client to serve; null when another process serves it (the Vite dev server). */
  clientDir: string | null;
  /** Origins allowed besides the app's own (the Host header's and PUBLIC_URL's). */
  allowedOrigins: string[];
  limits: Limits;
  /** Serve HTTPS (and on the same port, plain HTTP that only leads there); see server/webServer.ts. */
  https: boolean;
  /** Hosted mode's Redis; unset on a laptop. */
  redisUrl: string | undefined;
  /** Hosted mode's Postgres; unset on a laptop, where SQLite in `dataDir` holds everything. */
  databaseUrl: string | undefined;
  /** Express's `trust proxy`: which proxies may name the client's address (false: none). */
  trustProxy: string | false;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(ROOT_DIR, e.DATA_DIR),
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    clientDir: e.SERVE_CLIENT === 'true' ? path.join(ROOT_DIR, 'dist', 'client') : null,
    allowedOrigins: e.ALLOWED_ORIGINS,
    limits: {
      joinFailuresPerMinute: e.JOIN_FAILURES_PER_MINUTE,
      joinsPerMinute: e.JOINS_PER_MINUTE,
      eventsPerSecond: e.EVENTS_PER_SECOND,
      eventBurst: e.EVENT_BURST,
      connectionsPerDevice: e.CONNECTIONS_PER_DEVICE,
    },
    https: e.HTTPS === 'true',
    redisUrl: e.REDIS_URL,
    databaseUrl: e.DATABASE_URL,
    trustProxy: e.TRUST_PROXY,
    ...overrides,
  };
}
