/**
 * Links handed out to people. Tablets, table hosts and observers must reach the laptop over
 * the room's Wi-Fi, so their links never point at localhost when the laptop has a LAN address.
 * The facilitator's and projector's links stay on the address the laptop itself used.
 */
import os from 'node:os';

export function lanAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const addr of list ?? []) if (addr.family === 'IPv4' && !addr.internal) out.push(addr.address);
  }
  return out;
}

const isLoopback = (hostname: string) => hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]';

export interface Urls {
  /**
   * Origin the request came in on, e.g. http://localhost:3000; `protocol` as the request saw it
   * (behind a trusted TLS proxy, the proxy's), by default the server's own.
   */
  origin(host: string | undefined, protocol?: 'http' | 'https'): string;
  /** Origin the room can reach: PUBLIC_URL, else the LAN address for a loopback request. */
  reachable(host: string | undefined): string;
  join(code: string, host: string | undefined): string;
}

export function makeUrls(opts: { publicUrl: string | undefined; listenHost: string; port: () => number; scheme?: 'http' | 'https' }): Urls {
  const scheme = opts.scheme ?? 'http';
  const origin = (host: string | undefined, protocol: 'http' | 'https' = scheme) => `${protocol}://${host ?? `localhost:${opts.port()}`}`;
  const reachableFromLan = opts.listenHost === '0.0.0.0' || opts.listenHost === '::';
  const reachable = (host: string | undefined) => {
    if (opts.publicUrl) return opts.publicUrl;
    const hostname = host ? new URL(`http://${host}`).hostname : 'localhost';
    const lan = reachableFromLan && isLoopback(hostname) ? lanAddresses()[0] : undefined;
    return lan ? `${scheme}://${lan}:${opts.port()}` : origin(host);
  };
  return {
    origin,
    reachable,
    join: (code, host) => `${reachable(host)}/j/${code}`,
  };
}
