/**
 * Links handed out to people. Tablets must reach the laptop over the room's Wi-Fi, so a join
 * link never points at localhost when the laptop has a LAN address.
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
  /** Origin the request came in on, e.g. http://localhost:3000. */
  origin(host: string | undefined): string;
  join(code: string, host: string | undefined): string;
}

export function makeUrls(opts: { publicUrl: string | undefined; listenHost: string; port: () => number }): Urls {
  const origin = (host: string | undefined) => `http://${host ?? `localhost:${opts.port()}`}`;
  const reachableFromLan = opts.listenHost === '0.0.0.0' || opts.listenHost === '::';
  return {
    origin,
    join(code, host) {
      if (opts.publicUrl) return `${opts.publicUrl}/j/${code}`;
      const hostname = host ? new URL(`http://${host}`).hostname : 'localhost';
      const lan = reachableFromLan && isLoopback(hostname) ? lanAddresses()[0] : undefined;
      return `${lan ? `http://${lan}:${opts.port()}` : origin(host)}/j/${code}`;
    },
  };
}
