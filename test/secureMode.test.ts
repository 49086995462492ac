/**
 * The secure mode (HTTPS=true): the laptop's own certificate authority, made once and kept;
 * a server certificate for its addresses, issued again when they change; and a real server
 * that serves the API, socket.io and the Yjs websocket over TLS, and on the same port over
 * plain HTTP only the certificate, its trust page and a redirect. Clients here trust the CA the
 * way a tablet does after the trust page: by its certificate, never by switching checks off.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as WS } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addPoint } from '../shared/board.js';
import { ConnectionMode } from '../shared/connectionMode.js';
import {
  Events,
  PROTOCOL_VERSION,
  YJS_PATH,
  YJS_SUBPROTOCOL,
  type CreateSessionResponse,
  type DeviceState,
  type JoinResponse,
  type SessionView,
} from '../shared/protocol.js';
import { certificateHosts, loadOrIssueCertificates } from '../server/certificates.js';
import { closeClients, TEST_AGENDA, WAIT, type AppSocket } from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-tls-'));
  dirs.push(dir);
  return dir;
};

afterEach(async () => {
  await closeClients();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the local certificate authority', () => {
  const hosts = certificateHosts({ lan: ['192.168.1.20'], publicUrl: 'https://tafelronde.local:3000' });

  it('signs a server certificate for every address the room may use, with private keys for the owner only', () => {
    const dir = tempDir();
    const certs = loadOrIssueCertificates(dir, hosts);
    expect(certs.made).toEqual({ ca: true, server: true });
    const server = new X509Certificate(certs.cert);
    const ca = new X509Certificate(certs.caCert);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.checkIP('192.168.1.20')).toBe('192.168.1.20');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBe('::1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkHost('tafelronde.local')).toBe('tafelronde.local');
    expect(server.checkIP('192.168.1.21')).toBeUndefined();
    expect(certs.caFingerprint).toBe(ca.fingerprint256);
    // Apple refuses server certificates valid for more than 825 days.
    const days = (Date.parse(server.validTo) - Date.parse(server.validFrom)) / 86_400_000;
    expect(days).toBeLessThanOrEqual(825);
    for (const key of ['ca.key', 'server.key']) expect(fs.statSync(path.join(dir, key)).mode & 0o777).toBe(0o600);
  });

  it('is kept across starts, and only the server certificate is issued again when the addresses change', () => {
    const dir = tempDir();
    const first = loadOrIssueCertificates(dir, hosts);
    const again = loadOrIssueCertificates(dir, [...hosts].reverse());
    expect(again.made).toEqual({ ca: false, server: false });
    expect(again.cert).toBe(first.cert);
    expect(again.key).toBe(first.key);

    const moved = loadOrIssueCertificates(dir, certificateHosts({ lan: ['10.0.0.7'] }));
    expect(moved.made).toEqual({ ca: false, server: true });
    expect(moved.caCert).toBe(first.caCert);
    const cert = new X509Certificate(moved.cert);
    expect(cert.checkIP('10.0.0.7')).toBe('10.0.0.7');
    expect(cert.checkIP('192.168.1.20')).toBeUndefined();
    expect(cert.verify(new X509Certificate(first.caCert).publicKey)).toBe(true);
  });

  it('issues a new server certificate when the stored one is damaged, and a new CA when its key is gone', () => {
    const dir = tempDir();
    const first = loadOrIssueCertificates(dir, hosts);
    fs.writeFileSync(path.join(dir, 'server.crt'), 'not a certificate');
    const repaired = loadOrIssueCertificates(dir, hosts);
    expect(repaired.made).toEqual({ ca: false, server: true });
    expect(repaired.caCert).toBe(first.caCert);

    fs.rmSync(path.join(dir, 'ca.key'));
    const fresh = loadOrIssueCertificates(dir, hosts);
    expect(fresh.made).toEqual({ ca: true, server: true });
    expect(fresh.caFingerprint).not.toBe(first.caFingerprint);
    expect(new X509Certificate(fresh.cert).verify(new X509Certificate(fresh.caCert).publicKey)).toBe(true);
  });
});

/** A request that trusts exactly `ca`, over https, or plain http. */
function request(
  url: string,
  opts: { ca?: string; method?: string; body?: unknown } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: opts.method ?? (body ? 'POST' : 'GET'),
        ...(opts.ca && { ca: opts.ca }),
        headers: body ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('a server in the secure mode', () => {
  let server: TestServer;
  let ca: string;

  afterEach(async () => {
    await server?.close();
  });

  async function start() {
    server = await startTestServer({ env: { HTTPS: 'true' } });
    ca = fs.readFileSync(path.join(server.dataDir, 'tls', 'ca.crt'), 'utf8');
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  }

  it('answers over TLS with a certificate that the CA vouches for, and refuses a client that does not trust it', async () => {
    await start();
    const health = await request(`${server.url}/api/health`, { ca });
    expect(health.status).toBe(200);
    await expect(request(`${server.url}/api/health`)).rejects.toThrow(/self-signed|unable to verify|certificate/i);

    const mode = ConnectionMode.parse(JSON.parse((await request(`${server.url}/api/connection`, { ca })).text));
    expect(mode.mode).toBe('https');
    expect(mode.trustPage).toBe(`${server.url.replace('https:', 'http:')}/certificaat`);
    expect(mode.caFingerprint).toBe(new X509Certificate(ca).fingerprint256);
  });

  it('on the same port over plain HTTP, hands out only the certificate and its trust page, and sends the rest to https', async () => {
    await start();
    const plain = server.url.replace('https:', 'http:');
    const cert = await request(`${plain}/ca.crt`);
    expect(cert.status).toBe(200);
    expect(cert.headers['content-type']).toMatch(/^application\/x-x509-ca-cert/);
    expect(cert.text).toBe(ca);

    const page = await request(`${plain}/certificaat`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('Certificaat downloaden');
    expect(page.text).toContain(new X509Certificate(ca).fingerprint256);

    const tablet = await request(`${plain}/t/abc?tafel=2`);
    expect(tablet.status).toBe(302);
    expect(tablet.headers.location).toBe(`${server.url}/t/abc?tafel=2`);
    const api = await request(`${plain}/api/health`);
    expect(api.status).toBe(302);
    const post = await request(`${plain}/api/join`, { body: { code: 'ABCDEF' } });
    expect(post.status).toBe(400);
  });

  it('in the plain mode says so, and has no certificate to hand out', async () => {
    server = await startTestServer();
    const mode = ConnectionMode.parse(JSON.parse((await request(`${server.url}/api/connection`)).text));
    expect(mode).toMatchObject({ mode: 'http', trustPage: null, caFingerprint: null });
    expect((await request(`${server.url}/ca.crt`)).status).toBe(404);
  });

  it('runs socket.io and the Yjs websocket over wss', async () => {
    await start();
    const created = await request(`${server.url}/api/sessions`, { ca, body: { agenda: TEST_AGENDA } });
    expect(created.status).toBe(201);
    const session = JSON.parse(created.text) as CreateSessionResponse;
    expect(session.urls.join.startsWith('https://')).toBe(true);
    const joined = JSON.parse((await request(`${server.url}/api/join`, { ca, body: { code: session.joinCode } })).text) as JoinResponse;

    const socket: AppSocket = io(server.url, {
      auth: { protocol: PROTOCOL_VERSION, sessionId: joined.sessionId, role: 'device', token: joined.deviceToken },
      transports: ['websocket'],
      forceNew: true,
      ca,
    });
    const states: SessionView[] = [];
    socket.on(Events.sessionState, (s) => states.push(s));
    await vi.waitFor(() => expect(states.length).toBeGreaterThan(0), WAIT);
    const picked = (await socket.timeout(5000).emitWithAck(Events.deviceJoinTable, { table: 1 })) as { ok: boolean; data: DeviceState };
    expect(picked.data.table).toBe(1);

    // Into the collecting step, so the board takes points.
    const fac = io(server.url, {
      auth: { protocol: PROTOCOL_VERSION, sessionId: session.id, role: 'facilitator', key: session.facilitatorKey },
      transports: ['websocket'],
      forceNew: true,
      ca,
    });
    await vi.waitFor(() => expect(fac.connected).toBe(true), WAIT);
    expect(await fac.timeout(5000).emitWithAck(Events.sessionStart, {})).toMatchObject({ ok: true });

    class TrustingWebSocket extends WS {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { ca });
      }
    }
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${server.url.replace('https:', 'wss:')}${YJS_PATH}`, `${session.id}/1`, doc, {
      WebSocketPolyfill: TrustingWebSocket as unknown as typeof globalThis.WebSocket,
      protocols: [YJS_SUBPROTOCOL, `device.${joined.deviceToken}`],
      disableBc: true,
      maxBackoffTime: 200,
    });
    try {
      await vi.waitFor(() => expect(provider.synced).toBe(true), WAIT);
      const at = server.services.sessions.get(session.id)!.run;
      const agenda = server.services.sessions.get(session.id)!.agenda;
      addPoint(doc, { id: 'p-tls', theme: 'communicatie', text: 'Over wss', round: agenda.rounds[0]!.id, step: at.stepId, createdAt: Date.now() });
      await vi.waitFor(() => expect(server.services.pointsOf(session.id, 1).map((p) => p.text)).toEqual(['Over wss']), WAIT);
    } finally {
      provider.destroy();
      doc.destroy();
      socket.disconnect();
      fac.disconnect();
    }
  });
});
