/**
 * Which pages may talk to this server. A browser sends an `Origin` header with every
 * WebSocket handshake and every cross-origin request, and a page on another site cannot
 * forge it; a WebSocket has no CORS, so without this check any site a participant visits
 * could open socket.io or Yjs connections to the laptop. The app's own origin is the one the
 * request came in on (its Host header), PUBLIC_URL's, and those in ALLOWED_ORIGINS.
 *
 * Requests without an Origin header are allowed: browsers always send one on these requests,
 * so only non-browser clients (tests, scripts, the benchmark) come without.
 */
import type { IncomingHttpHeaders } from 'node:http';

export type OriginCheck = (headers: IncomingHttpHeaders) => boolean;

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

export function originCheck(opts: { publicUrl: string | undefined; allowedOrigins: readonly string[] }): OriginCheck {
  const fixed = new Set(opts.allowedOrigins.map(originOf).filter((o): o is string => o !== null));
  const pub = opts.publicUrl === undefined ? null : originOf(opts.publicUrl);
  if (pub) fixed.add(pub);
  return (headers) => {
    const raw = headers.origin;
    if (raw === undefined) return true;
    // `Origin: null` comes from sandboxed frames, file:// pages and the like: never ours.
    const origin = originOf(raw);
    if (!origin) return false;
    if (fixed.has(origin)) return true;
    const host = headers.host;
    if (!host) return false;
    // Same host and port as the request itself, over either scheme (a TLS proxy in front changes it).
    const scheme = origin.startsWith('https:') ? 'https:' : 'http:';
    return originOf(`${scheme}//${host}`) === origin;
  };
}
