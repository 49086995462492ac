/**
 * The limits of a real server (its defaults, not the generous ones other tests get): join
 * codes cannot be guessed quickly, one connection cannot flood the server with events, one
 * device cannot open connections without end, and messages are at most 64 KB.
 */
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as WS } from 'ws';
import { Events, PROTOCOL_VERSION, YJS_SUBPROTOCOL, type Ack, type CreateSessionResponse, type JoinResponse } from '../shared/protocol.js';
import {
  api,
  closeClients,
  connectClient,
  connectError,
  createSession,
  emitAck,
  facilitator,
  joinDevice,
  newBallotId,
  startedSession,
  WAIT,
  yjsUpgradeStatus,
  yjsUrl,
  type Client,
} from './helpers/clients.js';
import { freePort } from './helpers/mainProcess.js';
import { redisAvailable, redisReady, startRedis, type RedisProcess } from './helpers/redis.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer | null = null;
afterEach(async () => {
  await closeClients();
  await server?.close();
  server = null;
});

async function realServer(env: Record<string, string> = {}): Promise<TestServer> {
  server = await startTestServer({ realLimits: true, env });
  return server;
}

describe('joining', () => {
  it('20 wrong codes a minute per address, then 429 rate_limited with Retry-After, for right codes too', async () => {
    const srv = await realServer();
    const s = await createSession(srv);
    const wrong = ['AAAAAA', 'BBBBBB', 'CCCCCC', 'bad', 'X'.repeat(200)];
    for (let i = 0; i < 20; i++) {
      const code = wrong[i % wrong.length]!;
      const res = i % 2 === 0 ? await api(srv, `/join/${encodeURIComponent(code)}`) : await api(srv, '/join', { body: { code } });
      expect([400, 404], `attempt ${i + 1}`).toContain(res.status);
    }
    for (const res of [
      await api(srv, '/join/DDDDDD'),
      await api(srv, '/join', { body: { code: 'DDDDDD' } }),
      await api(srv, `/join/${s.joinCode}`),
      await api(srv, '/join', { body: { code: s.joinCode } }),
    ]) {
      expect(res.status).toBe(429);
      expect(res.body).toMatchObject({ error: { code: 'rate_limited' } });
      // The minute counts from the address's first attempt, moments ago.
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(50);
      expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    }
    expect(srv.services.db.prepare('SELECT COUNT(*) AS n FROM devices').get()).toEqual({ n: 0 });
    // Nothing else is limited: the organiser still creates sessions.
    expect((await api(srv, '/sessions', { body: {} })).status).toBe(201);
  });

  it('right codes do not use up the allowance: a room of tablets joins', async () => {
    const srv = await realServer();
    const s = await createSession(srv);
    for (let i = 0; i < 40; i++) {
      expect((await api(srv, `/join/${s.joinCode}`)).status).toBe(200);
      expect((await api(srv, '/join', { body: { code: s.joinCode } })).status).toBe(201);
    }
    expect((await api(srv, '/join/AAAAAA')).status).toBe(404);
  });

  it('all joins from one address are capped too (JOINS_PER_MINUTE)', async () => {
    const srv = await realServer({ JOINS_PER_MINUTE: '5' });
    const s = await createSession(srv);
    for (let i = 0; i < 5; i++) expect((await api<JoinResponse>(srv, '/join', { body: { code: s.joinCode } })).status).toBe(201);
    const res = await api(srv, '/join', { body: { code: s.joinCode } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(50);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });
});

describe('behind a proxy', () => {
  const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });

  it('links use the scheme the trusted proxy names, and only a trusted one', async () => {
    const tls = { headers: { 'x-forwarded-proto': 'https' } };
    const behind = await realServer({ TRUST_PROXY: 'loopback' });
    const made = await api<CreateSessionResponse>(behind, '/sessions', { body: {}, ...tls });
    expect(made.body.urls.facilitator).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/f\//);
    await behind.close();
    const direct = await realServer();
    const plain = await api<CreateSessionResponse>(direct, '/sessions', { body: {}, ...tls });
    expect(plain.body.urls.facilitator).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/f\//);
  });

  it('counts the address the trusted proxy names, one limit per address', async () => {
    const srv = await realServer({ JOIN_FAILURES_PER_MINUTE: '2', TRUST_PROXY: 'loopback' });
    for (let i = 0; i < 2; i++) expect((await api(srv, '/join/AAAAAA', from('203.0.113.7'))).status).toBe(404);
    expect((await api(srv, '/join/AAAAAA', from('203.0.113.7'))).status).toBe(429);
    // Another address behind the same proxy has its own allowance.
    expect((await api(srv, '/join/AAAAAA', from('203.0.113.8'))).status).toBe(404);
  });

  it('ignores the header when no proxy is trusted: a client cannot name its own address', async () => {
    const srv = await realServer({ JOIN_FAILURES_PER_MINUTE: '2' });
    for (let i = 0; i < 2; i++) expect((await api(srv, '/join/AAAAAA', from(`203.0.113.${i}`))).status).toBe(404);
    expect((await api(srv, '/join/AAAAAA', from('203.0.113.99'))).status).toBe(429);
  });
});

describe.skipIf(!redisAvailable)('joining across nodes that share Redis', () => {
  let redis: RedisProcess;
  const nodes: TestServer[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    for (const node of nodes.splice(0)) await node.close();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('an address meets one limit whichever node it reaches', async () => {
    for (let i = 0; i < 2; i++) {
      nodes.push(await startTestServer({ realLimits: true, env: { REDIS_URL: redis.url, JOIN_FAILURES_PER_MINUTE: '4' } }));
    }
    const [a, b] = nodes as [TestServer, TestServer];
    for (const node of nodes) await redisReady(node.services.redis);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await api(i % 2 ? b : a, '/join/AAAAAA')).status);
    expect(statuses).toEqual([404, 404, 404, 404, 429, 429]);
  });

  it('a node whose Redis is away starts, serves, and limits joins on its own', async () => {
    const nowhere = `redis://127.0.0.1:${await freePort()}`;
    const node = await startTestServer({ realLimits: true, env: { REDIS_URL: nowhere, JOIN_FAILURES_PER_MINUTE: '2' } });
    nodes.push(node);
    const s = await createSession(node);
    expect((await api(node, `/join/${s.joinCode}`)).status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api(node, '/join/AAAAAA')).status);
    expect(statuses).toEqual([404, 404, 429]);
  });
});

describe('events per connection', () => {
  it('a burst of 60 passes, the rest gets rate_limited until the bucket refills', async () => {
    const srv = await realServer();
    const { s } = await startedSession(srv);
    // A connection of its own, so no earlier event (starting the session) took a token.
    const fac = await facilitator(srv, s);
    const results = await Promise.all(Array.from({ length: 100 }, () => emitAck(fac.socket, Events.clockSync, {})));
    const ok = results.filter((r) => r.ok).length;
    // The bucket refills while the burst is on its way: a token or two may come back.
    expect(ok).toBeGreaterThanOrEqual(60);
    expect(ok).toBeLessThan(70);
    const refused = results.filter((r): r is Extract<Ack<unknown>, { ok: false }> => !r.ok);
    for (const r of refused) expect(r.error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('30') as string });
    // Another connection has a bucket of its own.
    const other = await facilitator(srv, s);
    expect(await emitAck(other.socket, Events.clockSync, {})).toMatchObject({ ok: true });
    // 30 a second flow back in.
    await vi.waitFor(async () => expect(await emitAck(fac.socket, Events.clockSync, {})).toMatchObject({ ok: true }), WAIT);
  });

  it('a refused event changes nothing', async () => {
    const srv = await realServer();
    const { s, fac } = await startedSession(srv);
    // step:next comes last in the same burst, well past its 60, before the bucket can refill.
    const burst = Array.from({ length: 100 }, () => emitAck(fac.socket, Events.clockSync, {}));
    const res = await emitAck(fac.socket, Events.stepNext, {});
    await Promise.all(burst);
    expect(res).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(srv.services.sessions.get(s.id)!.run.stepId).toBe(fac.lastSessionState()!.agenda.rounds[0]!.steps[0]!.id);
  });

  it('an event the server does not know is answered with not_found', async () => {
    const srv = await realServer();
    const s = await createSession(srv);
    const fac = await facilitator(srv, s);
    for (const name of ['no:such:event', Events.sessionState, '__proto__', 'constructor', 'toString', 'x'.repeat(1000)]) {
      expect(await emitAck(fac.socket, name, {}), name).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
  });
});

describe('connections per device', () => {
  const device = (srv: TestServer, sessionId: string, token: string) => connectClient(srv, { role: 'device', sessionId, token });

  it('socket.io: at most 4 per device token; the fifth is refused with too_many_connections', async () => {
    const srv = await realServer();
    const s = await createSession(srv);
    const d = await joinDevice(srv, s, 1);
    const more = [await device(srv, s.id, d.token), await device(srv, s.id, d.token), await device(srv, s.id, d.token)];
    const err = await connectError(srv, { protocol: PROTOCOL_VERSION, role: 'device', sessionId: s.id, token: d.token });
    expect(err.data).toMatchObject({ code: 'too_many_connections', message: expect.stringContaining('4') as string });
    // Other devices, and other roles, are not affected.
    await joinDevice(srv, s, 1);
    await facilitator(srv, s);
    // Once one closes, there is room again.
    more[0]!.close();
    await vi.waitFor(() => device(srv, s.id, d.token), WAIT);
  });

  it('socket.io: a recovering connection passes the same check, and does not count against itself', async () => {
    const srv = await realServer();
    const s = await createSession(srv);
    const d = await joinDevice(srv, s, 1);
    const others: Client[] = [await device(srv, s.id, d.token), await device(srv, s.id, d.token), await device(srv, s.id, d.token)];

    // All four in use: a dropped one comes back.
    d.socket.io.engine.close();
    await vi.waitFor(() => expect(d.socket.recovered && d.socket.connected).toBe(true), WAIT);

    // While it is away, another takes its place: now it is one too many.
    d.socket.io.reconnection(false);
    d.socket.io.engine.close();
    await vi.waitFor(() => expect(d.socket.connected).toBe(false), WAIT);
    await vi.waitFor(() => device(srv, s.id, d.token), WAIT);
    const refused = new Promise<unknown>((resolve) => d.socket.once('connect_error', (e) => resolve((e as Error & { data?: unknown }).data)));
    d.socket.connect();
    expect(await refused).toMatchObject({ code: 'too_many_connections' });
    expect(others.every((o) => o.socket.connected)).toBe(true);
  });

  it('Yjs: at most 4 per device token; the fifth is refused with 429, and gets in once one closes', async () => {
    const srv = await realServer();
    const s = await createSession(srv);
    const d = await joinDevice(srv, s, 1);
    const room = `${s.id}/1`;
    const protocols = [YJS_SUBPROTOCOL, `device.${d.token}`];
    const open = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<WS>((resolve, reject) => {
            const ws = new WS(`${yjsUrl(srv)}/${room}`, protocols);
            ws.once('open', () => resolve(ws));
            ws.once('error', reject);
          }),
      ),
    );
    try {
      expect(await yjsUpgradeStatus(srv, room, protocols)).toBe(429);
      // A host of the table is not a device: not counted.
      const other = await joinDevice(srv, s, 1);
      expect(await yjsUpgradeStatus(srv, room, [YJS_SUBPROTOCOL, `device.${other.token}`])).toBe(101);
      open[0]!.close();
      await vi.waitFor(async () => expect(await yjsUpgradeStatus(srv, room, protocols)).toBe(101), WAIT);
    } finally {
      for (const ws of open) ws.terminate();
    }
  });
});

describe('message size', () => {
  it('socket.io: a message just under 64 KB is read and refused by its schema; one over 64 KB drops the connection', async () => {
    const srv = await realServer();
    const s = await createSession(srv);
    const d = await joinDevice(srv, s, 1);
    const payload = (bytes: number) => ({ voteId: 'v', ballotId: newBallotId(), choices: { method: 'dots', dots: {} }, pad: 'x'.repeat(bytes) });
    expect(await emitAck(d.socket, Events.ballotSubmit, payload(60 * 1024))).toMatchObject({ ok: false, error: { code: 'bad_request' } });

    const gone = new Promise<string>((resolve) => d.socket.once('disconnect', (reason) => resolve(reason)));
    (d.socket as unknown as { emit(event: string, payload: unknown): void }).emit(Events.ballotSubmit, payload(65 * 1024));
    expect(await gone).toBe('transport close');
  });

  it('socket.io over HTTP long-polling: a body over 64 KB is refused too', async () => {
    const srv = await realServer();
    const s = await createSession(srv);
    const socket = io(srv.url, {
      auth: { protocol: PROTOCOL_VERSION, role: 'viewer', sessionId: s.id },
      transports: ['polling'],
      reconnection: false,
      forceNew: true,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const gone = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
      (socket as unknown as { emit(event: string, payload: unknown): void }).emit(Events.clockSync, { pad: 'x'.repeat(65 * 1024) });
      expect(await gone).toMatch(/transport (close|error)/);
    } finally {
      socket.disconnect();
    }
    expect((await api(srv, '/health')).status).toBe(200);
  });

  it('Yjs: a message just under 64 KB is taken (and ignored when malformed); one over closes with 1009', async () => {
    const srv = await realServer();
    const s = await createSession(srv);
    const d = await joinDevice(srv, s, 1);
    const closeCode = (bytes: number) =>
      new Promise<number>((resolve) => {
        const ws = new WS(`${yjsUrl(srv)}/${s.id}/1`, [YJS_SUBPROTOCOL, `device.${d.token}`]);
        // A query-awareness message padded with bytes the server does not read.
        ws.on('open', () => ws.send(Uint8Array.from({ length: bytes }, (_, i) => (i === 0 ? 3 : 0))));
        ws.on('message', () => ws.close(1000));
        ws.on('close', (code) => resolve(code));
        ws.on('error', () => undefined);
      });
    expect(await closeCode(64 * 1024)).toBe(1000);
    expect(await closeCode(64 * 1024 + 1)).toBe(1009);
  });
});
