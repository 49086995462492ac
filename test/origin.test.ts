/**
 * Foreign pages: socket.io, the Yjs websocket and state-changing REST calls refuse an Origin
 * that is not the app's own; security headers on every answer; the configuration that
 * governs both.
 */
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import { ConfigError, loadConfig } from '../server/config.js';
import { originCheck } from '../server/origin.js';
import { PROTOCOL_VERSION, YJS_SUBPROTOCOL } from '../shared/protocol.js';
import { api, createSession, joinDevice, yjsUrl } from './helpers/clients.js';
import { useTestServer } from './helpers/setup.js';

const server = useTestServer({ env: { ALLOWED_ORIGINS: 'https://tafelronde.example.nl', PUBLIC_URL: 'http://192.168.7.20:3000' } });

describe('originCheck', () => {
  const allowed = originCheck({ publicUrl: 'http://192.168.1.20:3000', allowedOrigins: ['https://beamer.example'] });
  const at = (origin: string | undefined, host = 'localhost:3000') => allowed({ host, ...(origin === undefined ? {} : { origin }) });

  it('lets through requests without an Origin (not from a browser)', () => {
    expect(at(undefined)).toBe(true);
  });

  it('lets through the origin the request came in on, PUBLIC_URL and the allow-list', () => {
    expect(at('http://localhost:3000')).toBe(true);
    expect(at('https://localhost:3000')).toBe(true);
    expect(at('http://192.168.1.20:3000', '192.168.1.20:3000')).toBe(true);
    expect(at('http://192.168.1.20:3000')).toBe(true);
    expect(at('https://beamer.example')).toBe(true);
    expect(at('http://example.com', 'EXAMPLE.com:80')).toBe(true);
  });

  it('refuses every other origin', () => {
    for (const origin of [
      'http://evil.example',
      'http://localhost:3001',
      'http://localhost',
      'http://beamer.example',
      'https://192.168.1.20:3000',
      'null',
      '',
      'file:///home/x/page.html',
      'chrome-extension://abcdef',
      'http://localhost:3000.evil.example',
      'not a url',
    ]) {
      expect(at(origin), origin).toBe(false);
    }
    expect(allowed({ origin: 'http://localhost:3000' }), 'no Host header').toBe(false);
  });
});

describe('configuration', () => {
  const base = { DATA_DIR: '/tmp/x' };

  it('reads ALLOWED_ORIGINS as a list of origins', () => {
    const config = loadConfig({ ...base, ALLOWED_ORIGINS: ' https://a.example , http://10.0.0.5:3000/ ,HTTP://B.example:80' });
    expect(config.allowedOrigins).toEqual(['https://a.example', 'http://10.0.0.5:3000', 'http://b.example']);
    expect(loadConfig(base).allowedOrigins).toEqual([]);
  });

  it('refuses an ALLOWED_ORIGINS entry that is no origin', () => {
    for (const bad of ['example.com', 'http://a.example/path', 'ftp://a.example', 'http://u:p@a.example', 'http://a.example?x=1']) {
      expect(() => loadConfig({ ...base, ALLOWED_ORIGINS: bad }), bad).toThrow(ConfigError);
    }
  });

  it('has the documented limits by default', () => {
    expect(loadConfig(base).limits).toEqual({
      joinFailuresPerMinute: 20,
      joinsPerMinute: 120,
      eventsPerSecond: 30,
      eventBurst: 60,
      connectionsPerDevice: 4,
    });
  });

  it('takes limits from the environment and refuses nonsense', () => {
    const config = loadConfig({ ...base, EVENTS_PER_SECOND: '500', EVENT_BURST: '1000', CONNECTIONS_PER_DEVICE: '8' });
    expect(config.limits).toMatchObject({ eventsPerSecond: 500, eventBurst: 1000, connectionsPerDevice: 8 });
    for (const [name, value] of [
      ['EVENTS_PER_SECOND', '0'],
      ['EVENT_BURST', '-5'],
      ['JOIN_FAILURES_PER_MINUTE', 'many'],
      ['JOINS_PER_MINUTE', '1.5'],
      ['CONNECTIONS_PER_DEVICE', '5000'],
      ['SERVE_CLIENT', 'yes'],
    ]) {
      expect(() => loadConfig({ ...base, [name!]: value }), `${name}=${value}`).toThrow(ConfigError);
    }
  });

  it('hosted mode: REDIS_URL and the proxies to trust, checked at start-up', () => {
    expect(loadConfig(base)).toMatchObject({ redisUrl: undefined, trustProxy: false });
    expect(loadConfig({ ...base, REDIS_URL: 'redis://10.0.0.3:6379', TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' })).toMatchObject({
      redisUrl: 'redis://10.0.0.3:6379',
      trustProxy: 'loopback,10.0.0.0/8,::1',
    });
    for (const [name, value] of [
      ['REDIS_URL', 'http://10.0.0.3:6379'],
      ['REDIS_URL', '10.0.0.3:6379'],
      ['TRUST_PROXY', 'true'],
      ['TRUST_PROXY', '10.0.0.0/33'],
      ['TRUST_PROXY', 'nginx.local'],
    ]) {
      expect(() => loadConfig({ ...base, [name!]: value }), `${name}=${value}`).toThrow(ConfigError);
    }
  });

  it('SERVE_CLIENT=false serves no client', () => {
    expect(loadConfig({ ...base, SERVE_CLIENT: 'false' }).clientDir).toBeNull();
    expect(loadConfig(base).clientDir).toMatch(/dist[/\\]client$/);
  });
});

/** Resolves with 'connected' or the connect_error's message. */
function socketIoHandshake(origin: string | undefined, transport: 'websocket' | 'polling', sessionId: string): Promise<string> {
  const socket = io(server.url, {
    auth: { protocol: PROTOCOL_VERSION, role: 'viewer', sessionId },
    transports: [transport],
    reconnection: false,
    forceNew: true,
    extraHeaders: origin === undefined ? {} : { origin },
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.once('connect_error', (err) => {
      socket.disconnect();
      resolve(err.message);
    });
  });
}

function yjsHandshake(room: string, token: string, origin: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WS(`${yjsUrl(server)}/${room}`, [YJS_SUBPROTOCOL, `device.${token}`], origin === undefined ? {} : { origin });
    ws.on('unexpected-response', (_req, res) => {
      ws.terminate();
      resolve(res.statusCode ?? 0);
    });
    ws.on('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.on('error', reject);
  });
}

describe('foreign pages', () => {
  const own = () => server.url; // what a browser on the app's own page sends

  it('socket.io: refuses a foreign origin on both transports, allows its own and the configured ones', async () => {
    const s = await createSession(server);
    for (const transport of ['websocket', 'polling'] as const) {
      expect(await socketIoHandshake('http://evil.example', transport, s.id), transport).not.toBe('connected');
      expect(await socketIoHandshake('null', transport, s.id), transport).not.toBe('connected');
      expect(await socketIoHandshake(own(), transport, s.id), transport).toBe('connected');
      expect(await socketIoHandshake('https://tafelronde.example.nl', transport, s.id), transport).toBe('connected');
      expect(await socketIoHandshake('http://192.168.7.20:3000', transport, s.id), transport).toBe('connected');
      expect(await socketIoHandshake(undefined, transport, s.id), transport).toBe('connected');
    }
  });

  it('socket.io: a polling handshake from a foreign page gets 403 with a reason', async () => {
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ message: 'This page may not connect here' });
  });

  it('Yjs: refuses a foreign origin with 403 before looking at the credentials', async () => {
    const s = await createSession(server);
    const d = await joinDevice(server, s, 1);
    expect(await yjsHandshake(`${s.id}/1`, d.token, 'http://evil.example')).toBe(403);
    expect(await yjsHandshake(`${s.id}/1`, 'wrongwrongwrongwrong', 'http://evil.example')).toBe(403);
    expect(await yjsHandshake(`${s.id}/1`, d.token, own())).toBe(101);
    expect(await yjsHandshake(`${s.id}/1`, d.token, 'https://tafelronde.example.nl')).toBe(101);
    expect(await yjsHandshake(`${s.id}/1`, d.token, undefined)).toBe(101);
  });

  it('REST: a POST from a foreign page is refused (403 forbidden); reads and its own page are fine', async () => {
    const s = await createSession(server);
    const foreign = { origin: 'http://evil.example' };
    const created = await api(server, '/sessions', { body: {}, headers: foreign });
    expect(created.status).toBe(403);
    expect(created.body).toMatchObject({ error: { code: 'forbidden' } });
    const joined = await api(server, '/join', { body: { code: s.joinCode }, headers: foreign });
    expect(joined.status).toBe(403);
    expect(server.services.db.prepare('SELECT COUNT(*) AS n FROM devices WHERE session_id = ?').get(s.id)).toEqual({ n: 0 });

    expect((await api(server, `/join/${s.joinCode}`, { headers: foreign })).status).toBe(200);
    expect((await api(server, '/join', { body: { code: s.joinCode }, headers: { origin: own() } })).status).toBe(201);
  });
});

describe('security headers', () => {
  it('every answer carries a CSP and the usual hardening headers, and no X-Powered-By', async () => {
    for (const path of ['/health', '/join/XXXXXX', '/nothing-here']) {
      const res = await api(server, path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(csp).toContain(`connect-src 'self' ws://${new URL(server.url).host} wss://${new URL(server.url).host}`);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toBeNull();
      // Ignored over plain HTTP on the room's network, with an error in every tablet's console.
      expect(res.headers.get('cross-origin-opener-policy')).toBeNull();
      expect(res.headers.get('origin-agent-cluster')).toBeNull();
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });
});
