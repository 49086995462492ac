/**
 * Bad input, property-based (fast-check): every socket event (the list comes from `Events`,
 * so a new event is covered the day it is added), every REST endpoint and the Yjs endpoint get
 * malformed, oversized and wrongly typed input. The server must stay up, change nothing (the
 * database rows, the session's view and the table's document are compared before and after
 * every case) and answer with a clear error: an ack with `ok: false` and a known code, or an
 * HTTP 4xx with a JSON error body. A malformed Yjs message may close its connection instead.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as WS } from 'ws';
import * as Y from 'yjs';
import { sessionView } from '../server/views.js';
import { tableDocName } from '../server/yjs/docNames.js';
import { ErrorBody, ErrorCode, Events, PROTOCOL_VERSION, YJS_SUBPROTOCOL, type Ack } from '../shared/protocol.js';
import {
  addPointTo,
  closeClients,
  createSession,
  emitAck,
  facilitator,
  gotoStep,
  hostKeyOf,
  joinDevice,
  openVote,
  startSession,
  stepIdOf,
  TEST_AGENDA,
  tableHost,
  tableProvider,
  viewer,
  waitForServerPoints,
  yjsUrl,
  type Client,
} from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

// One server and one set of clients for the whole file (useTestServer would close the clients after each test).
let server: TestServer;

/**
 * Cases per property, about 3,600 in all. Cases go in batches that run at the same time (which
 * is also how a room sends them); fast-check shrinks a failing batch to its simplest case.
 */
const RUNS = { events: 1600, unknownEvents: 200, rawFrames: 240, rest: 1000, yjs: 600, board: 120 };
const BATCH = 8;
const batches = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: BATCH, maxLength: BATCH });
const numRuns = (cases: number) => Math.ceil(cases / BATCH);

type RoleName = 'facilitator' | 'host' | 'device' | 'viewer';
const ROLES: RoleName[] = ['facilitator', 'host', 'device', 'viewer'];

interface World {
  s: Awaited<ReturnType<typeof createSession>>;
  clients: Record<RoleName, Client>;
  deviceToken: string;
  voteId: string;
  point: string;
  stepId: string;
  agenda: unknown;
}
let w: World;

/** A session in its voting step with a vote open, a point on table 1, and one client of each role. */
beforeAll(async () => {
  server = await startTestServer();
  const agenda = { rounds: [...TEST_AGENDA.rounds, { steps: [{ type: 'evaluatie' as const, durationSec: 300 }] }] };
  const s = await createSession(server, { tables: 2, agenda });
  const [fac, host, device, view] = await Promise.all([facilitator(server, s), tableHost(server, s, 1), joinDevice(server, s, 1), viewer(server, s.id)]);
  await startSession(fac);
  const board = await tableProvider(server, s.id, 1, { device: device.token });
  const point = addPointTo(board, 'Een punt om op te stemmen');
  await waitForServerPoints(server, s.id, 1, 1);
  board.destroy();
  await gotoStep(fac, 'stemmen');
  const vote = await openVote(fac);
  w = {
    s,
    clients: { facilitator: fac, host, device, viewer: view },
    deviceToken: device.token,
    voteId: vote.id,
    point,
    stepId: stepIdOf(fac, 'evaluatie'),
    agenda: fac.lastSessionState()!.agenda,
  };
}, 30_000);
afterAll(async () => {
  await closeClients();
  await server?.close();
});

// ---------------------------------------------------------------------------------------------
// What "nothing changed" means: every row of every table, the session's view, table 1's document.
// Between cases a cheaper check does: SQLite's count of rows written by the server's connection,
// the view and the document; the full rows are compared around each property.

/**
 * Returns a check that fails when anything differs from `before`. It compares the cheap
 * fingerprint, and the full snapshot only when the fingerprint moved (a document that went idle
 * is folded into one row, which writes without changing anything).
 */
function unchangedSince(before: ReturnType<typeof snapshot>): (what: string) => void {
  let last = fingerprint();
  return (what) => {
    const now = fingerprint();
    if (now === last) return;
    expect(snapshot(), what).toEqual(before);
    last = now;
  };
}

function fingerprint(): string {
  const { db, store } = server.services;
  const written = (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const doc = store.read(tableDocName(w.s.id, 1), (d) => Buffer.from(Y.encodeStateAsUpdate(d)).toString('base64'));
  return JSON.stringify({ written, view: sessionView(server.services, w.s.id, undefined), doc });
}

function snapshot() {
  const { db, store } = server.services;
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map(
    (t) => t.name,
  );
  const rows = Object.fromEntries(
    tables.map((t) => [
      t,
      db
        .prepare(`SELECT * FROM "${t}"`)
        .all()
        .map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)))
        .sort(),
    ]),
  );
  const doc = store.read(tableDocName(w.s.id, 1), (d) => Buffer.from(Y.encodeStateAsUpdate(d)).toString('base64'));
  return { rows, view: sessionView(server.services, w.s.id, undefined), doc };
}

function expectClearRefusal(res: Ack<unknown>, what: string) {
  expect(res.ok, `${what} was accepted: ${JSON.stringify(res).slice(0, 300)}`).toBe(false);
  if (res.ok) return;
  expect(ErrorCode.safeParse(res.error.code).success, `${what}: unknown code ${res.error.code}`).toBe(true);
  expect(typeof res.error.message === 'string' && res.error.message.length > 0, `${what}: no message`).toBe(true);
}

// ---------------------------------------------------------------------------------------------
// Payloads that no schema can accept.

/** Anything that is not a plain object: every payload schema is an object. */
const notAnObject = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 10 }),
  fc.uint8Array({ maxLength: 512 }),
  fc.constant('x'.repeat(60_000)),
  // Deeply nested (not deeper: fast-check must still be able to print a failing case).
  fc.integer({ min: 100, max: 800 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
  fc.integer({ min: 100, max: 800 }).map((depth) => JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) as unknown),
);

/** Keys that have tripped parsers before. */
const nastyKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', ' ', '\u0000', '💥', 'a'.repeat(300));

/** An object with at least one key that no schema has: every payload schema is strict. */
const withUnknownKey = fc
  .tuple(
    fc.dictionary(fc.oneof(fc.string({ maxLength: 20 }), nastyKey), fc.anything({ maxDepth: 2, withDate: true, withMap: true, withSet: true }), {
      maxKeys: 6,
    }),
    fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), nastyKey),
  )
  .map(([obj, key]) => {
    const out: Record<string, unknown> = { ...obj };
    // Defined as an own property even for '__proto__', the way JSON.parse on the server makes it.
    Object.defineProperty(out, `\u0001unknown${key}`, { value: 'x', enumerable: true, writable: true, configurable: true });
    return out;
  });

/** A valid payload per event, to mutate: these reach deep into the schemas. */
function examples(event: string): Record<string, unknown> | null {
  switch (event) {
    case Events.deviceJoinTable:
      return { table: 2 };
    case Events.tableSignal:
      return { signal: 'ready', on: true };
    case Events.tableClearSignal:
      return { table: 1, signal: 'help' };
    case Events.voteOpen:
      return { budget: 3, maxPerItem: 2 };
    case Events.voteClose:
      return { voteId: w.voteId };
    case Events.ballotSubmit:
      return { voteId: w.voteId, ballotId: 'fuzzfuzzfuzzfuzzfuzz', choices: { method: 'dots', dots: { [w.point]: 1 } } };
    case Events.evaluationSubmit:
      return { stepId: w.stepId, responseId: 'fuzzfuzzfuzzfuzzfuzz', scores: { satisfied: 4, clear: 2 }, remark: 'Goed' };
    case Events.stepGoto:
      return { stepId: w.stepId };
    case Events.timerExtend:
      return { seconds: 60 };
    case Events.agendaUpdate:
      return { agenda: structuredClone(w.agenda) };
    case Events.projectorSet:
      return { theme: 'light', spotlight: { kind: 'table', table: 1 } };
    case Events.deviceMove:
      return { label: 'ABC', table: 1 };
    case Events.tableSeats:
      return { table: 1, seats: 3 };
    default:
      return null;
  }
}

type Path = (string | number)[];
function leaves(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return [{ path, value }, ...entries.flatMap(([k, v]) => leaves(v, [...path, k]))];
  }
  return [{ path, value }];
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path.at(-1)!] = value;
  return copy;
}

/** A value of another type than `v` (never null: some fields are nullable), or out of every range. */
function wrongFor(v: unknown): fc.Arbitrary<unknown> {
  const str = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.integer({ min: 2000, max: 60_000 }).map((n) => 'é'.repeat(Math.floor(n / 2))),
  );
  const num = fc.oneof(fc.integer(), fc.constantFrom(-1e9 - 0.5, 1e12, Number.MAX_SAFE_INTEGER + 2));
  const obj = fc.constant({});
  const arr = fc.array(fc.integer(), { maxLength: 3 });
  if (typeof v === 'string')
    return fc.oneof(
      num,
      fc.boolean(),
      obj,
      arr,
      fc.integer({ min: 2000, max: 60_000 }).map((n) => 'x'.repeat(n)),
    );
  if (typeof v === 'number') return fc.oneof(str, fc.boolean(), obj, arr, fc.constantFrom(-1e9 - 0.5, 1e12, 2 ** 53 + 2));
  if (typeof v === 'boolean') return fc.oneof(str, num, obj, arr);
  if (Array.isArray(v)) return fc.oneof(str, num, fc.boolean(), obj);
  return fc.oneof(str, num, fc.boolean(), arr);
}

/** A valid example with one spot broken: a wrong type, a value out of range, or an unknown key. */
function mutated(example: Record<string, unknown>): fc.Arbitrary<unknown> {
  const spots = leaves(example);
  return fc.constantFrom(...spots).chain(({ path, value }) => {
    const objectSpot = value !== null && typeof value === 'object' && !Array.isArray(value);
    const options: fc.Arbitrary<unknown>[] = [wrongFor(value).map((bad) => setAt(example, path, bad))];
    if (objectSpot) {
      options.push(
        fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), nastyKey).map((key) => {
          const copy = structuredClone(example);
          let at = copy as Record<string | number, unknown>;
          for (const k of path) at = at[k] as Record<string | number, unknown>;
          Object.defineProperty(at, `\u0001unknown${key}`, { value: 'x', enumerable: true, writable: true, configurable: true });
          return copy;
        }),
      );
    }
    return fc.oneof(...options);
  });
}

const reserved = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

describe('socket events', () => {
  it(`every event from every role: a malformed payload gets a clear refusal and changes nothing (${RUNS.events} cases)`, async () => {
    const events = Object.values(Events);
    const cases = fc.constantFrom(...events).chain((event) => {
      const example = examples(event);
      const payload = example ? fc.oneof(notAnObject, withUnknownKey, mutated(example), mutated(example)) : fc.oneof(notAnObject, withUnknownKey);
      return fc.record({ event: fc.constant(event), role: fc.constantFrom(...ROLES), payload });
    });
    const before = snapshot();
    const unchanged = unchangedSince(before);
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(batches(cases), async (batch) => {
        await Promise.all(
          batch.map(async ({ event, role, payload }) => {
            seen.add(event);
            expectClearRefusal(await emitAck(w.clients[role].socket, event, payload), `${event} by ${role}`);
          }),
        );
        unchanged('a refused event changed something');
      }),
      { numRuns: numRuns(RUNS.events) },
    );
    expect(snapshot()).toEqual(before);
    // Every event was tried, and every client is still connected.
    expect([...seen].sort()).toEqual([...events].sort());
    for (const role of ROLES) expect(w.clients[role].socket.connected, role).toBe(true);
  });

  it(`unknown event names and wrong argument counts are refused too (${RUNS.unknownEvents} cases)`, async () => {
    const before = snapshot();
    const name = fc.oneof(fc.string({ maxLength: 100 }), nastyKey).filter((n) => !reserved.has(n) && !(Object.values(Events) as string[]).includes(n));
    await fc.assert(
      fc.asyncProperty(batches(fc.tuple(name, fc.constantFrom(...ROLES), fc.anything({ maxDepth: 2 }))), async (batch) => {
        for (const res of await Promise.all(batch.map(([event, role, payload]) => emitAck(w.clients[role].socket, event, payload)))) {
          expect(res).toMatchObject({ ok: false, error: { code: 'not_found' } });
        }
      }),
      { numRuns: numRuns(RUNS.unknownEvents) },
    );
    // A known event with no payload, or with more than one.
    const loose = w.clients.facilitator.socket as unknown as { timeout(ms: number): { emitWithAck(ev: string, ...args: unknown[]): Promise<Ack<unknown>> } };
    expect(await loose.timeout(5000).emitWithAck(Events.stepNext)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await loose.timeout(5000).emitWithAck(Events.stepNext, {}, {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(snapshot()).toEqual(before);
  });

  it(`garbage socket.io frames on a raw websocket do not take the server down (${RUNS.rawFrames} cases)`, async () => {
    const before = snapshot();
    const base = server.url.replace(/^http/, 'ws');
    const open = () =>
      new Promise<WS>((resolve, reject) => {
        const sock = new WS(`${base}/socket.io/?EIO=4&transport=websocket`);
        sock.on('error', reject);
        // The default binaryType, 'nodebuffer': each message is one Buffer.
        sock.on('message', (data: Buffer) => {
          const text = String(data);
          if (text.startsWith('0')) sock.send(`40${JSON.stringify({ protocol: PROTOCOL_VERSION, role: 'viewer', sessionId: w.s.id })}`);
          else if (text.startsWith('40')) resolve(sock);
          else if (text === '2') sock.send('3');
        });
      });
    const frame = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ maxLength: 300 }).map((s) => `42${s}`),
      fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 3 })).map(([id, v]) => `42${id}${JSON.stringify(v)}`),
      fc.jsonValue({ maxDepth: 3 }).map((v) => `451-${JSON.stringify(v)}`),
      fc.uint8Array({ maxLength: 300 }),
      fc.constantFrom('4', '41', '42', '43', '44', '45', '46', '40/other,', '6', '1', 'probe', '2probe'),
    );
    const pool: WS[] = [];
    const connection = async (i: number) => (pool[i]?.readyState === WS.OPEN ? pool[i] : (pool[i] = await open()));
    await fc.assert(
      fc.asyncProperty(batches(frame), async (batch) => {
        await Promise.all(
          batch.map(async (f, i) => {
            const ws = await connection(i);
            ws.send(f);
            // A ping through the same connection: answered (still open) or the connection is gone.
            await new Promise<void>((resolve) => {
              if (ws.readyState !== WS.OPEN) return resolve();
              ws.once('close', () => resolve());
              ws.ping();
              ws.once('pong', () => resolve());
            });
          }),
        );
      }),
      { numRuns: numRuns(RUNS.rawFrames) },
    );
    for (const ws of pool) ws.terminate();
    expect(snapshot()).toEqual(before);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------
// REST

interface RestCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

/** Text that is not a JSON object: an object, even an empty one, could be a valid body. */
const notJsonObject = fc
  .oneof(
    fc.string({ maxLength: 200 }),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? ''),
  )
  .filter((t) => {
    // No body at all is an empty object too.
    if (t.trim() === '') return false;
    try {
      const v = JSON.parse(t) as unknown;
      return v === null || typeof v !== 'object' || Array.isArray(v);
    } catch {
      return true;
    }
  });

const VALID_SESSION = {
  kind: 'burgerberaad',
  title: 'Avond',
  question: 'Wat vindt u?',
  place: 'Raadszaal',
  participation: 'denken',
  decides: 'de raad',
  tables: 3,
  themes: ['A', 'B'],
  agenda: TEST_AGENDA,
};

const jsonHeaders = { 'content-type': 'application/json' };

/** Paths that a URL parser would move out of /api (`..`, `%2e`) test the client, not the API. */
const staysInApi = (c: RestCase) => new URL(c.path, 'http://x').pathname.startsWith('/api/');

function restCases(): fc.Arbitrary<RestCase> {
  const badBody = fc.oneof(
    notJsonObject,
    withUnknownKey.map((o) => JSON.stringify(o)),
    mutated(VALID_SESSION).map((o) => JSON.stringify(o)),
    fc.constant(`{"title":"${'x'.repeat(70 * 1024)}"}`),
    fc.integer({ min: 50, max: 2000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
  );
  const anyText = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('%', '%E0%A4%A', '..', '%00', '%2F', 'ABCDEF', 'abcdef', ' ', '💥'));
  const segment = anyText.map((s) => (s.includes('%') ? s : encodeURIComponent(s)));
  const auth = fc.oneof(
    fc.constant<Record<string, string>>({}),
    fc.string({ maxLength: 60 }).map((s): Record<string, string> => ({ authorization: `Bearer ${s.replace(/[^\x20-\x7e]/g, '')}` })),
    fc.constant<Record<string, string>>({ authorization: 'Basic Zm9vOmJhcg==' }),
    fc.constant<Record<string, string>>({}).map((): Record<string, string> => ({ authorization: `Bearer ${w.deviceToken}` })),
  );
  return fc
    .oneof(
      // Create a session with a body no schema accepts, or one that is too large.
      badBody.map((body): RestCase => ({ method: 'POST', path: '/api/sessions', headers: jsonHeaders, body })),
      // The wrong media type or encoding. (The JSON ones carry `{}`: a body that decodes to
      // nothing, e.g. one byte of UTF-16, counts as an empty body, which is a valid one.)
      fc
        .tuple(
          fc.constantFrom('/api/sessions', '/api/join'),
          fc.oneof(
            fc.tuple(
              fc.constantFrom<Record<string, string>>(
                { 'content-type': 'application/json; charset=utf-16' },
                { 'content-type': 'application/json; charset=nope' },
                { 'content-type': 'application/json', 'content-encoding': 'gzip' },
                { 'content-type': 'application/json', 'content-encoding': 'br' },
                { 'content-type': 'application/json', 'content-encoding': 'nope' },
              ),
              fc.constant('{}'),
            ),
            fc.tuple(
              fc.constantFrom<Record<string, string>>(
                { 'content-type': 'text/plain' },
                { 'content-type': 'application/x-www-form-urlencoded' },
                { 'content-type': 'multipart/form-data; boundary=x' },
                {},
              ),
              fc.oneof(fc.constant('{}'), fc.uint8Array({ minLength: 1, maxLength: 100 })),
            ),
          ),
        )
        .map(([path, [headers, body]]): RestCase => ({ method: 'POST', path, headers, body })),
      // Join previews and joins with codes that name no session.
      segment.map((code): RestCase => ({ method: 'GET', path: `/api/join/${code}`, headers: {} })),
      fc
        .oneof(
          badBody,
          anyText.map((code) => JSON.stringify({ code })),
          withUnknownKey.map((o) => JSON.stringify({ code: 'ABCDEF', ...o })),
        )
        .map((body): RestCase => ({ method: 'POST', path: '/api/join', headers: jsonHeaders, body })),
      // Reports and notes without the key.
      fc
        .tuple(
          fc.oneof(
            fc.constant(() => w.s.id),
            segment.map((s) => () => s),
          ),
          fc.oneof(fc.constantFrom('report.json', 'report.md', 'report.html', 'report.csv', 'report.docx'), segment),
          auth,
          fc.oneof(
            fc.constant(''),
            segment.map((l) => `?lang=${l}`),
          ),
        )
        .map(([id, file, headers, query]): RestCase => ({ method: 'GET', path: `/api/sessions/${id()}/${file}${query}`, headers })),
      fc
        .tuple(
          fc.oneof(
            fc.constant(() => w.s.id),
            segment.map((s) => () => s),
          ),
          auth,
          fc.oneof(badBody, fc.constant('{"notes":"x"}')),
        )
        .map(([id, headers, body]): RestCase => ({ method: 'PUT', path: `/api/sessions/${id()}/notes`, headers: { ...jsonHeaders, ...headers }, body })),
      // Any method on any path under /api.
      fc
        .tuple(
          fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
          fc.array(segment, { minLength: 1, maxLength: 4 }),
          fc.oneof(fc.constant(undefined), badBody),
        )
        // Leave out the three calls that succeed without any input at all.
        .filter(([method, parts]) => !['GET health', 'POST sessions', 'HEAD health'].includes(`${method} ${parts.join('/')}`))
        .map(([method, parts, body]): RestCase => ({
          method,
          path: `/api/${parts.join('/')}`,
          headers: jsonHeaders,
          body: method === 'GET' ? undefined : body,
        })),
    )
    .filter(staysInApi);
}

describe('REST', () => {
  it(`every endpoint: bad input gets a 4xx with a JSON error and changes nothing (${RUNS.rest} cases)`, async () => {
    const before = snapshot();
    const unchanged = unchangedSince(before);
    await fc.assert(
      fc.asyncProperty(batches(restCases()), async (batch) => {
        await Promise.all(
          batch.map(async (c) => {
            const res = await fetch(`${server.url}${c.path}`, { method: c.method, headers: c.headers, body: c.body });
            const text = await res.text();
            const what = `${c.method} ${c.path.slice(0, 120)} ${JSON.stringify(c.headers)}`;
            expect(res.status, `${what} -> ${res.status} ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
            expect(res.status, `${what} -> ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
            expect(res.headers.get('content-type') ?? '', what).toContain('application/json');
            expect(ErrorBody.safeParse(JSON.parse(text)).success, `${what}: ${text.slice(0, 200)}`).toBe(true);
          }),
        );
        unchanged('a refused request changed something');
      }),
      { numRuns: numRuns(RUNS.rest) },
    );
    expect(snapshot()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// Yjs

describe('Yjs endpoint', () => {
  it(`garbage binary messages never change the document or stop the server (${RUNS.yjs} cases)`, async () => {
    const room = `${yjsUrl(server)}/${w.s.id}/1`;
    const creds = [`device.${w.deviceToken}`, `host.${hostKeyOf(w.s, 1)}`, `facilitator.${w.s.facilitatorKey}`];
    const sockets = new Map<string, WS>();
    const connection = (key: string, cred: string) =>
      new Promise<WS>((resolve, reject) => {
        const open = sockets.get(key);
        if (open?.readyState === WS.OPEN) return resolve(open);
        const ws = new WS(room, [YJS_SUBPROTOCOL, cred]);
        ws.binaryType = 'arraybuffer';
        ws.once('open', () => {
          sockets.set(key, ws);
          resolve(ws);
        });
        ws.once('error', reject);
      });
    const bytes = fc.uint8Array({ maxLength: 400 });
    const message = fc.oneof(
      bytes,
      bytes.map((b) => Uint8Array.from([0, 0, ...lengthPrefixed(b)])), // sync step 1 with a garbage state vector
      fc.tuple(fc.constantFrom(1, 2), bytes).map(([t, b]) => Uint8Array.from([0, t, ...lengthPrefixed(b)])), // an update of garbage
      bytes.map((b) => Uint8Array.from([1, ...lengthPrefixed(b)])), // awareness of garbage
      fc.tuple(fc.integer({ min: 2, max: 255 }), bytes).map(([t, b]) => Uint8Array.from([t, ...b])),
      fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => Uint8Array.from([0, a, b, 255, 255, 255, 255, 15])),
    );
    const before = snapshot();
    const unchanged = unchangedSince(before);
    let closed = 0;
    const send = async (cred: string, msg: Uint8Array, slot: number) => {
      const ws = await connection(`${slot}:${cred}`, cred);
      // The message, then a query for presence: the answer (or a close) says it was handled.
      await new Promise<void>((resolve) => {
        const done = () => {
          ws.off('message', onMessage);
          ws.off('close', onClose);
          resolve();
        };
        const onMessage = (data: ArrayBuffer) => {
          if (new Uint8Array(data)[0] === 1) done();
        };
        const onClose = () => {
          closed++;
          done();
        };
        ws.on('message', onMessage);
        ws.on('close', onClose);
        ws.send(msg);
        if (ws.readyState === WS.OPEN) ws.send(Uint8Array.from([3]));
      });
    };
    try {
      await fc.assert(
        fc.asyncProperty(batches(fc.tuple(fc.constantFrom(...creds), message)), async (batch) => {
          await Promise.all(batch.map(([cred, msg], slot) => send(cred, msg, slot)));
          unchanged('a garbage message changed something');
        }),
        { numRuns: numRuns(RUNS.yjs) },
      );
    } finally {
      for (const ws of sockets.values()) ws.terminate();
    }
    expect(closed, 'malformed messages close their connection').toBeGreaterThan(0);
    expect(snapshot()).toEqual(before);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});

describe('Yjs endpoint, well-formed updates the step does not allow', () => {
  /** What a board holds, as readers see it: the content, not Yjs's bookkeeping of refused edits. */
  const content = () => {
    // Keys sorted: a point put back by the server may list its fields in another order.
    const sorted = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sorted)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([k, x]) => [k, sorted(x)]),
            )
          : v;
    const doc = server.services.store.read(tableDocName(w.s.id, 1), (d) => JSON.stringify(sorted(d.toJSON())));
    const { db } = server.services;
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('yjs_updates') AND name NOT LIKE 'sqlite_%'").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    const rows = Object.fromEntries(tables.map((t) => [t, JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())]));
    return { doc, rows, view: sessionView(server.services, w.s.id, undefined) };
  };

  /** Edits a tablet could make to table 1's board, each a real Yjs update made on a copy of it. */
  type Edit = (doc: Y.Doc) => void;
  /** The point to change; an edit earlier in the same update may have deleted or replaced it. */
  const point = (doc: Y.Doc) => {
    const p = doc.getMap<unknown>('points').get(w.point);
    if (p instanceof Y.Map && p.get('text') instanceof Y.Text) return p as Y.Map<unknown>;
    const spare = newPoint({ theme: 'communicatie' });
    doc.getMap<unknown>('points').set('spare', spare);
    return spare;
  };
  const newPoint = (fields: Record<string, unknown>) => {
    const p = new Y.Map<unknown>();
    p.set('text', new Y.Text('Nieuw punt'));
    for (const [k, v] of Object.entries(fields)) p.set(k, v);
    return p;
  };
  const edits = (inbreng: string): Record<string, Edit> => ({
    'a new point that claims an earlier collecting step': (d) =>
      d.getMap('points').set('late', newPoint({ theme: 'communicatie', step: inbreng, createdAt: 1 })),
    'deleting a point': (d) => d.getMap('points').delete(w.point),
    'typing in a point': (d) => (point(d).get('text') as Y.Text).insert(0, 'Nog iets: '),
    'deleting text': (d) => (point(d).get('text') as Y.Text).delete(0, 3),
    'moving a point to another theme': (d) => point(d).set('theme', 'samenwerking'),
    'reordering a point': (d) => point(d).set('order', -5),
    'merging a point': (d) => point(d).set('mergedInto', 'elders'),
    'hiding a point': (d) => point(d).set('hidden', true),
    'replacing a whole point': (d) => d.getMap('points').set(w.point, newPoint({ theme: 'communicatie' })),
    'a point that is not a map': (d) => d.getMap('points').set('flat', 'geen map'),
    'an unknown root type': (d) => d.getArray('elders').insert(0, ['iets']),
    'an unknown field on a point': (d) => point(d).set('owner', 'tablet 3'),
    'a new sub-theme': (d) => {
      const c = new Y.Map<unknown>();
      c.set('label', 'Sub');
      c.set('theme', 'communicatie');
      d.getMap('clusters').set('sub', c);
    },
    'a top 3 outside prioriteren': (d) => d.getMap('top').set('r', Y.Array.from([w.point])),
  });

  it(
    `every kind of board change a tablet may not make during a vote is refused with its code, undone, ` + `and keeps the connection (${RUNS.board} cases)`,
    async () => {
      const inbreng = stepIdOf(w.clients.facilitator, 'inbreng');
      const all = edits(inbreng);
      const room = `${yjsUrl(server)}/${w.s.id}/1`;
      const ws = new WS(room, [YJS_SUBPROTOCOL, `device.${w.deviceToken}`]);
      ws.binaryType = 'arraybuffer';
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      let closed = false;
      ws.on('close', () => (closed = true));
      const before = content();
      const reasons: string[] = [];
      ws.on('message', (data: ArrayBuffer) => {
        const bytes = new Uint8Array(data);
        if (bytes[0] === 2) reasons.push(Buffer.from(bytes).toString('utf8'));
      });
      try {
        await fc.assert(
          fc.asyncProperty(fc.subarray(Object.keys(all), { minLength: 1 }), async (names) => {
            // The edits in one update, made on a copy of the board as the server has it now.
            const doc = new Y.Doc();
            Y.applyUpdate(
              doc,
              server.services.store.read(tableDocName(w.s.id, 1), (d) => Y.encodeStateAsUpdate(d)),
            );
            const sv = Y.encodeStateVector(doc);
            doc.transact(() => {
              for (const name of names) all[name]!(doc);
            });
            const update = Y.encodeStateAsUpdate(doc, sv);
            doc.destroy();
            const heard = reasons.length;
            ws.send(Uint8Array.from([0, 2, ...lengthPrefixed(update)]));
            await vi.waitFor(() => expect(reasons.length, names.join(', ')).toBeGreaterThan(heard), { timeout: 5000, interval: 5 });
            expect(reasons.at(-1), names.join(', ')).toMatch(/(step_locked|host_only|bad_shape):/);
            expect(closed, `${names.join(', ')} closed the connection`).toBe(false);
            expect(content(), names.join(', ')).toEqual(before);
          }),
          { numRuns: RUNS.board },
        );
      } finally {
        ws.terminate();
      }
      // Nothing of the refused edits is stored: the document's rows hold none of their content.
      const stored = (server.services.db.prepare('SELECT data FROM yjs_updates WHERE doc = ?').all(tableDocName(w.s.id, 1)) as { data: Buffer }[])
        .map((r) => r.data.toString('latin1'))
        .join('');
      for (const marker of ['geen map', 'tablet 3', 'Nog iets', 'Nieuw punt']) expect(stored).not.toContain(marker);
    },
  );
});

/** A var-uint length prefix and the bytes, as lib0 writes a Uint8Array. */
function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let n = bytes.length;
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return Uint8Array.from([...out, ...bytes]);
}
