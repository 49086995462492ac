/**
 * The shipped nginx configuration (docs/deploy/nginx.conf), run by a real nginx: the whole app
 * works through it (REST, socket.io over websocket and polling, Yjs, the client's address for
 * the join limit), and with several nodes a session's REST, socket.io and Yjs requests all
 * reach one node, sessions spread over the nodes, and a node that stops moves only its own.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as WS } from 'ws';
import { Events, PROTOCOL_VERSION, SESSION_QUERY, YJS_PATH } from '../shared/protocol.js';
import {
  addPointTo,
  api,
  closeClients,
  gotoStep,
  joinDevice,
  newBallotId,
  openVote,
  startedSession,
  submitBallot,
  tableProvider,
  viewer,
  waitForServerPoints,
  WAIT,
} from './helpers/clients.js';
import { nginxAvailable, startNginx, type Nginx } from './helpers/nginx.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let proxy: Nginx | null = null;
const nodes: TestServer[] = [];

afterEach(async () => {
  await closeClients();
  await proxy?.stop();
  proxy = null;
  for (const node of nodes.splice(0)) await node.close();
});

/** A test server as the clients see it through nginx: the proxy's URL, the node's services. */
function through(node: TestServer, front: Nginx): TestServer {
  return Object.defineProperty(Object.create(node) as TestServer, 'url', { value: front.url });
}

const randomSessionId = () => randomBytes(15).toString('base64url');

/** A socket.io handshake over polling, as a browser without websockets makes it. */
async function pollingHandshake(url: string, sessionId: string): Promise<number> {
  const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling&${SESSION_QUERY}=${sessionId}`);
  await res.text();
  return res.status;
}

/** A Yjs websocket upgrade without credentials: refused by the node, but routed like any. */
function yjsUpgrade(url: string, sessionId: string): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WS(`${url.replace('http', 'ws')}${YJS_PATH}/${sessionId}/1`);
    const done = () => {
      ws.terminate();
      resolve();
    };
    ws.once('unexpected-response', done);
    ws.once('error', done);
    ws.once('open', done);
  });
}

/** The status of a GET sent from a given local address (127.0.0.x are all this machine). */
function statusFrom(url: string, localAddress: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { localAddress, headers, agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
  });
}

/** The first state a viewer gets, connecting as the app's client does (with the session in the query). */
async function viewerState(url: string, sessionId: string, opts: { transport: 'polling' | 'websocket'; headers?: Record<string, string> }) {
  const socket = io(url, {
    auth: { protocol: PROTOCOL_VERSION, role: 'viewer', sessionId },
    query: { [SESSION_QUERY]: sessionId },
    transports: [opts.transport],
    extraHeaders: opts.headers ?? {},
    forceNew: true,
    reconnection: false,
  });
  try {
    return await new Promise((resolve, reject) => {
      socket.once(Events.sessionState, resolve);
      socket.once('connect_error', reject);
    });
  } finally {
    socket.close();
  }
}

describe.skipIf(!nginxAvailable)('the shipped nginx configuration', () => {
  it('one node behind it: a whole round of writing and voting works through the proxy', async () => {
    const node = await startTestServer({ env: { TRUST_PROXY: 'loopback' } });
    nodes.push(node);
    proxy = await startNginx([node.port]);
    const front = through(node, proxy);

    const { s, fac } = await startedSession(front, { tables: 1 });
    await gotoStep(fac, 'inbreng');
    const device = await joinDevice(front, s, 1);
    const board = await tableProvider(front, s.id, 1, { device: device.token });
    const point = addPointTo(board, 'Vaker een bewonersavond');
    await waitForServerPoints(node, s.id, 1, 1);
    await gotoStep(fac, 'stemmen');
    const view = await viewer(front, s.id);
    const vote = await openVote(fac, { method: 'dots', budget: 1, maxPerItem: 1 });
    expect(await submitBallot(device, vote.id, newBallotId(), { [point]: 1 })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(view.lastTally()).toMatchObject({ voteId: vote.id, ballots: 1 }), WAIT);

    // socket.io's long-polling fallback goes through as well.
    expect(await viewerState(proxy.url, s.id, { transport: 'polling' })).toMatchObject({ id: s.id });

    // Every request reached the node through the proxy, and named the session it belongs to
    // (a websocket is logged when it closes).
    await closeClients();
    await vi.waitFor(() => {
      const routed = proxy!.routed();
      expect(routed.filter((r) => r.uri.startsWith('/socket.io/') && r.session === s.id).length).toBeGreaterThan(0);
      expect(routed.filter((r) => r.uri.startsWith(`${YJS_PATH}/${s.id}/`) && r.session === s.id).length).toBeGreaterThan(0);
    }, WAIT);
  });

  it("a browser page served through nginx may post and open websockets: its origin is the proxy's", async () => {
    const node = await startTestServer();
    nodes.push(node);
    proxy = await startNginx([node.port]);
    const origin = { origin: proxy.url };
    const created = await api<{ id: string }>(proxy, '/sessions', { body: {}, headers: origin });
    expect(created.status).toBe(201);
    expect(await viewerState(proxy.url, created.body.id, { transport: 'websocket', headers: origin })).toMatchObject({ id: created.body.id });
    // A page on another site still cannot.
    expect((await api(proxy, '/sessions', { body: {}, headers: { origin: 'http://evil.example' } })).status).toBe(403);
  });

  it('the join limit counts the address nginx names, not nginx', async () => {
    const node = await startTestServer({ realLimits: true, env: { TRUST_PROXY: 'loopback', JOIN_FAILURES_PER_MINUTE: '2' } });
    nodes.push(node);
    proxy = await startNginx([node.port]);
    // A client cannot name its own address: nginx replaces the header.
    const spoof = (n: number) => ({ headers: { 'x-forwarded-for': `203.0.113.${n}` } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await statusFrom(`${proxy.url}/api/join/AAAAAA`, '127.0.0.2', spoof(i).headers));
    expect(statuses).toEqual([404, 404, 429]);
    // Another client address, through the same nginx, has its own allowance.
    expect(await statusFrom(`${proxy.url}/api/join/AAAAAA`, '127.0.0.3')).toBe(404);
  });

  it('three nodes: each session on one node for REST, socket.io and Yjs; a stopped node moves only its own sessions', async () => {
    for (let i = 0; i < 3; i++) nodes.push(await startTestServer());
    proxy = await startNginx(nodes.map((n) => n.port));
    const ports = new Set(nodes.map((n) => `127.0.0.1:${n.port}`));
    const sessions = Array.from({ length: 30 }, randomSessionId);

    const visit = async (front: Nginx) => {
      for (const id of sessions) {
        await api(front, `/sessions/${id}/notes`);
        expect(await pollingHandshake(front.url, id), front.errors()).toBe(200);
        await yjsUpgrade(front.url, id);
      }
    };
    /** The node each session's requests reached, checking they all reached the same one. */
    const placement = (since: number) => {
      const at = new Map<string, Set<string>>();
      for (const r of proxy!.routed().slice(since)) {
        if (!r.session) continue;
        if (!at.has(r.session)) at.set(r.session, new Set());
        at.get(r.session)!.add(r.node);
      }
      return new Map(
        [...at].map(([id, where]) => {
          expect([...where], `session ${id}`).toHaveLength(1);
          return [id, [...where][0]!];
        }),
      );
    };

    await visit(proxy);
    const before = placement(0);
    expect(new Set(before.keys())).toEqual(new Set(sessions));
    // With 30 sessions every node has some (each misses all 30 with odds below 1 in 100,000).
    expect(new Set(before.values())).toEqual(ports);
    // A path that names a session wins over a query parameter that names another.
    const mark0 = proxy.routed().length;
    for (const [i, id] of sessions.slice(0, 5).entries()) await api(proxy, `/sessions/${id}/notes?${SESSION_QUERY}=${sessions[i + 10]!}`);
    for (const r of proxy.routed().slice(mark0)) expect(r.node).toBe(before.get(r.session));
    expect(
      proxy
        .routed()
        .slice(mark0)
        .map((r) => r.session),
    ).toEqual(sessions.slice(0, 5));
    // Requests that name no session are spread too.
    const seen = proxy.routed().length;
    for (let i = 0; i < 12; i++) await api(proxy, '/health');
    expect(
      new Set(
        proxy
          .routed()
          .slice(seen)
          .map((r) => r.node),
      ).size,
    ).toBeGreaterThan(1);

    const stopped = nodes[1]!;
    const gone = `127.0.0.1:${stopped.port}`;
    await stopped.close();
    const mark = proxy.routed().length;
    await visit(proxy);
    const after = placement(mark);
    for (const id of sessions) {
      if (before.get(id) === gone) expect(after.get(id), `session ${id} moved off the stopped node`).not.toBe(gone);
      else expect(after.get(id), `session ${id} stayed on its node`).toBe(before.get(id));
    }
  });
});
