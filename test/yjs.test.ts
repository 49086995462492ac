import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as WS } from 'ws';
import { pointsMap, pointText } from '../shared/board.js';
import { Events, YJS_SUBPROTOCOL, type JoinResponse } from '../shared/protocol.js';
import { tableDocName } from '../server/yjs/docNames.js';
import { startIsolatedServer } from './helpers/mainProcess.js';
import {
  addPointTo,
  api,
  closeClients,
  connectClient,
  createSession,
  emitOk,
  joinDevice,
  startedSession,
  tableProvider,
  waitForServerPoints,
  yjsUpgradeStatus,
  yjsUrl,
  type TableBoard,
  WAIT,
} from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const texts = (board: TableBoard) => board.points().map((p) => p.text);
const serverTexts = (server: TestServer, sessionId: string, table: number) => server.services.pointsOf(sessionId, table).map((p) => p.text);

function textOf(board: TableBoard, pointId: string) {
  const point = pointsMap(board.doc).get(pointId);
  const text = point && pointText(point);
  if (!text) throw new Error(`no point ${pointId}`);
  return text;
}

describe('table documents', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(closeClients);
  afterAll(async () => {
    await server?.close();
  });

  it('converges between two tablets at the same table, character by character', async () => {
    const { s } = await startedSession(server, { tables: 2 });
    const d1 = await joinDevice(server, s, 1);
    const d2 = await joinDevice(server, s, 1);
    const b1 = await tableProvider(server, s.id, 1, { device: d1.token });
    const b2 = await tableProvider(server, s.id, 1, { device: d2.token });

    const id = addPointTo(b1, 'Hallo', 'samenwerking');
    await expect.poll(() => texts(b2)).toEqual(['Hallo']);
    expect(b2.points()[0]).toMatchObject({ id, theme: 'samenwerking' });

    textOf(b2, id).insert(5, ' wereld');
    await expect.poll(() => texts(b1)).toEqual(['Hallo wereld']);

    // Concurrent edits in both merge to the same text everywhere.
    textOf(b1, id).insert(0, 'A: ');
    textOf(b2, id).insert(textOf(b2, id).length, '!');
    await expect.poll(() => texts(b1)).toEqual(['A: Hallo wereld!']);
    await expect.poll(() => texts(b2)).toEqual(['A: Hallo wereld!']);
    await expect.poll(() => serverTexts(server, s.id, 1)).toEqual(['A: Hallo wereld!']);
  });

  it('keeps tables apart: another table sees nothing', async () => {
    const { s } = await startedSession(server, { tables: 2 });
    const d1 = await joinDevice(server, s, 1);
    const d2 = await joinDevice(server, s, 1);
    const d3 = await joinDevice(server, s, 2);
    const b1 = await tableProvider(server, s.id, 1, { device: d1.token });
    const b2 = await tableProvider(server, s.id, 1, { device: d2.token });
    const b3 = await tableProvider(server, s.id, 2, { device: d3.token });

    addPointTo(b1, 'Alleen voor tafel 1');
    addPointTo(b3, 'Alleen voor tafel 2');
    await waitForServerPoints(server, s.id, 1, 1);
    await waitForServerPoints(server, s.id, 2, 1);
    // A later edit at table 1 reaching b1 shows b1 is up to date with everything relayed to it.
    addPointTo(b2, 'Nog een voor tafel 1');
    await expect.poll(() => texts(b1).length).toBe(2);

    expect(texts(b1)).not.toContain('Alleen voor tafel 2');
    expect(texts(b3)).toEqual(['Alleen voor tafel 2']);
    expect(serverTexts(server, s.id, 2)).toEqual(['Alleen voor tafel 2']);
  });

  it('refuses the upgrade for documents a credential may not open', async () => {
    const s = await createSession(server, { tables: 2 });
    const other = await createSession(server, { tables: 2 });
    const atOne = await joinDevice(server, s, 1);
    const noTable = await joinDevice(server, s);
    const foreign = await joinDevice(server, other, 1);
    const device = (token: string) => [YJS_SUBPROTOCOL, `device.${token}`];

    // Allowed: own table, and the facilitator (read-only).
    expect(await yjsUpgradeStatus(server, `${s.id}/1`, device(atOne.token))).toBe(101);
    expect(await yjsUpgradeStatus(server, `${s.id}/2`, [YJS_SUBPROTOCOL, `facilitator.${s.facilitatorKey}`])).toBe(101);

    // 403: a known device, but not its table.
    expect(await yjsUpgradeStatus(server, `${s.id}/2`, device(atOne.token))).toBe(403);
    expect(await yjsUpgradeStatus(server, `${s.id}/1`, device(noTable.token))).toBe(403);

    // 401: bad, missing or foreign credentials.
    expect(await yjsUpgradeStatus(server, `${s.id}/1`, device('not-a-real-token-at-all'))).toBe(401);
    expect(await yjsUpgradeStatus(server, `${s.id}/1`, device(foreign.token))).toBe(401);
    expect(await yjsUpgradeStatus(server, `${s.id}/1`, [YJS_SUBPROTOCOL, `facilitator.${other.facilitatorKey}`])).toBe(401);
    expect(await yjsUpgradeStatus(server, `${s.id}/1`, [YJS_SUBPROTOCOL])).toBe(401);
    expect(await yjsUpgradeStatus(server, `${s.id}/1`, [])).toBe(401);
    expect(await yjsUpgradeStatus(server, `${s.id}/1`, [`device.${atOne.token}`])).toBe(401);

    // 404: documents that do not exist.
    expect(await yjsUpgradeStatus(server, `${s.id}/3`, device(atOne.token))).toBe(404);
    expect(await yjsUpgradeStatus(server, `NoSuchSession/1`, device(atOne.token))).toBe(404);
    expect(await yjsUpgradeStatus(server, `${s.id}/0`, device(atOne.token))).toBe(404);
    expect(await yjsUpgradeStatus(server, `${s.id}`, device(atOne.token))).toBe(404);
  });

  it('a refused provider never syncs and never changes the document', async () => {
    const { s } = await startedSession(server, { tables: 2 });
    const d1 = await joinDevice(server, s, 1);
    const intruder = await joinDevice(server, s, 2);
    const b1 = await tableProvider(server, s.id, 1, { device: d1.token });
    addPointTo(b1, 'Van tafel 1');
    await waitForServerPoints(server, s.id, 1, 1);

    const errors: unknown[] = [];
    const wrong = await tableProvider(server, s.id, 1, { device: intruder.token }, { waitForSync: false });
    wrong.provider.on('connection-error', (e) => errors.push(e));
    addPointTo(wrong, 'Ingebroken');
    await expect.poll(() => errors.length).toBeGreaterThanOrEqual(2);
    expect(wrong.provider.synced).toBe(false);
    expect(texts(wrong)).toEqual(['Ingebroken']);
    expect(serverTexts(server, s.id, 1)).toEqual(['Van tafel 1']);
  });

  it('gives the facilitator a read-only view: it sees the table but its edits are refused', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { s } = await startedSession(server, { tables: 2 });
      const d1 = await joinDevice(server, s, 1);
      const b1 = await tableProvider(server, s.id, 1, { device: d1.token });
      const first = addPointTo(b1, 'Punt van de tafel');
      await waitForServerPoints(server, s.id, 1, 1);

      const fac = await tableProvider(server, s.id, 1, { facilitator: s.facilitatorKey });
      expect(texts(fac)).toEqual(['Punt van de tafel']);
      // Live edits reach the facilitator too.
      textOf(b1, first).insert(0, 'Nieuw: ');
      await expect.poll(() => texts(fac)).toEqual(['Nieuw: Punt van de tafel']);

      // Two edits by the facilitator: both are refused with a permission-denied auth message.
      addPointTo(fac, 'Door de facilitator toegevoegd');
      textOf(fac, first).insert(0, 'GEWIJZIGD ');
      await vi.waitFor(() => {
        const denials = warn.mock.calls.filter((c) => String(c[0]).includes('Permission denied'));
        expect(denials).toHaveLength(2);
        expect(String(denials[0]![0])).toContain('read_only');
      }, WAIT);

      // The server's document and every device are unaffected.
      expect(serverTexts(server, s.id, 1)).toEqual(['Nieuw: Punt van de tafel']);
      const d2 = await joinDevice(server, s, 1);
      const b2 = await tableProvider(server, s.id, 1, { device: d2.token });
      expect(texts(b2)).toEqual(['Nieuw: Punt van de tafel']);
      addPointTo(b2, 'Later punt');
      await expect.poll(() => texts(b1)).toEqual(['Nieuw: Punt van de tafel', 'Later punt']);
      await expect.poll(() => texts(fac)).toContain('Later punt');
      expect(serverTexts(server, s.id, 1)).toEqual(['Nieuw: Punt van de tafel', 'Later punt']);
    } finally {
      warn.mockRestore();
    }
  });

  it('closes the old table document when a device moves to another table', async () => {
    const { s } = await startedSession(server, { tables: 2 });
    const mover = await joinDevice(server, s, 1);
    const stayer = await joinDevice(server, s, 1);
    const old = await tableProvider(server, s.id, 1, { device: mover.token });
    const neighbour = await tableProvider(server, s.id, 1, { device: stayer.token });
    const closedForGood: number[] = [];
    old.provider.on('closed', (e) => closedForGood.push(e.code));

    const state = await emitOk<{ table: number }>(mover.socket, Events.deviceJoinTable, { table: 2 });
    expect(state.table).toBe(2);

    await expect.poll(() => old.closes.map((c) => c.code)).toContain(4403);
    // 4403 is permanent for y-websocket: the stale provider stops instead of retrying.
    await expect.poll(() => closedForGood).toEqual([4403]);
    expect(old.provider.wsconnected).toBe(false);
    expect(await yjsUpgradeStatus(server, `${s.id}/1`, [YJS_SUBPROTOCOL, `device.${mover.token}`])).toBe(403);

    // Edits made on the stale board stay local.
    addPointTo(old, 'Na het verhuizen');
    addPointTo(neighbour, 'Van de buur');
    await waitForServerPoints(server, s.id, 1, 1);
    expect(serverTexts(server, s.id, 1)).toEqual(['Van de buur']);
    expect(neighbour.provider.wsconnected).toBe(true);

    // The new table opens fine.
    const fresh = await tableProvider(server, s.id, 2, { device: mover.token });
    expect(fresh.provider.synced).toBe(true);
  });

  it('closes a connection that sends a malformed message', async () => {
    const s = await createSession(server, { tables: 1 });
    const d = await joinDevice(server, s, 1);
    const ws = new WS(`${yjsUrl(server)}/${s.id}/1`, [YJS_SUBPROTOCOL, `device.${d.token}`]);
    try {
      const code = await new Promise<number>((resolve, reject) => {
        ws.on('open', () => ws.send(new Uint8Array([99, 1, 2, 3])));
        ws.on('close', (c) => resolve(c));
        ws.on('error', reject);
      });
      expect(code).toBe(1003);
    } finally {
      ws.terminate();
    }
  });
});

describe('robustness (the server in a process of its own)', () => {
  let child: Awaited<ReturnType<typeof startIsolatedServer>> | null = null;
  afterEach(async () => {
    await closeClients();
    await child?.stop();
    child = null;
  });

  it('a message over 64 KB closes only that connection (1009); the server keeps running', async () => {
    child = await startIsolatedServer();
    const c = child;
    const s = await createSession(c);
    const join = await api<JoinResponse>(c, '/join', { body: { code: s.joinCode } });
    const device = await connectClient(c, { role: 'device', sessionId: s.id, token: join.body.deviceToken });
    await emitOk(device.socket, Events.deviceJoinTable, { table: 1 });

    const ws = new WS(`${yjsUrl(c)}/${s.id}/1`, [YJS_SUBPROTOCOL, `device.${join.body.deviceToken}`]);
    const code = await new Promise<number>((resolve) => {
      ws.on('open', () => ws.send(new Uint8Array(65 * 1024)));
      ws.on('close', (closeCode) => resolve(closeCode));
      ws.on('error', () => undefined);
    });
    expect(code).toBe(1009);

    // The rest of the room must not notice: the process still answers.
    const health = await fetch(`${c.url}/api/health`).then(
      (r) => r.status,
      async () => {
        await vi.waitFor(() => expect(c.child.exitCode ?? c.child.signalCode).not.toBeNull(), { timeout: 2000 });
        const cause = /^\w*Error: .*$/m.exec(c.output())?.[0] ?? c.output().slice(0, 300);
        return `no answer: the server process exited (${String(c.child.exitCode ?? c.child.signalCode)}) with ${cause}`;
      },
    );
    expect(health).toBe(200);
  });
});

describe('persistence', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ storeOptions: { compactEvery: 10, idleUnloadMs: 50 } });
  });
  afterEach(closeClients);
  afterAll(async () => {
    await server?.close();
  });

  it('keeps points across a restart on the same data dir', async () => {
    const { s } = await startedSession(server, { tables: 2 });
    const d = await joinDevice(server, s, 2);
    const board = await tableProvider(server, s.id, 2, { device: d.token });
    const id = addPointTo(board, 'Blijft bewaard', 'participatie');
    addPointTo(board, 'Ook dit');
    textOf(board, id).insert(0, '1. ');
    await expect.poll(() => serverTexts(server, s.id, 2)).toEqual(['1. Blijft bewaard', 'Ook dit']);
    const before = server.services.pointsOf(s.id, 2);
    await closeClients();

    await server.restart();
    expect(server.services.store.isLoaded(tableDocName(s.id, 2))).toBe(false);
    expect(server.services.pointsOf(s.id, 2)).toEqual(before);

    const again = await tableProvider(server, s.id, 2, { device: d.token });
    expect(again.points()).toEqual(before);
    expect(again.points()[0]).toMatchObject({ id, theme: 'participatie' });
  });

  it('compaction folds the stored updates into one row and keeps the content', async () => {
    const { s } = await startedSession(server, { tables: 1 });
    const d = await joinDevice(server, s, 1);
    const board = await tableProvider(server, s.id, 1, { device: d.token });
    const name = tableDocName(s.id, 1);
    const id = addPointTo(board, '');
    for (const ch of 'abcdef') textOf(board, id).insert(textOf(board, id).length, ch);
    await expect.poll(() => serverTexts(server, s.id, 1)).toEqual(['abcdef']);
    expect(server.services.store.storedRows(name)).toBeGreaterThan(1);
    const before = server.services.pointsOf(s.id, 1);

    server.services.store.compact(name);
    expect(server.services.store.storedRows(name)).toBe(1);
    expect(server.services.pointsOf(s.id, 1)).toEqual(before);

    // Edits after compaction are stored again, on top of the snapshot.
    textOf(board, id).insert(0, '>');
    await expect.poll(() => server.services.store.storedRows(name)).toBe(2);
    await closeClients();
    // Once unloaded from memory, the content comes back from the database alone.
    await expect.poll(() => server.services.store.isLoaded(name)).toBe(false);
    expect(serverTexts(server, s.id, 1)).toEqual(['>abcdef']);
    server.services.store.compact(name);
    expect(server.services.store.storedRows(name)).toBe(1);
    expect(serverTexts(server, s.id, 1)).toEqual(['>abcdef']);
    const again = await tableProvider(server, s.id, 1, { device: d.token });
    expect(texts(again)).toEqual(['>abcdef']);
  });

  it('compacts by itself after compactEvery stored updates', async () => {
    const { s } = await startedSession(server, { tables: 1 });
    const d = await joinDevice(server, s, 1);
    const board = await tableProvider(server, s.id, 1, { device: d.token });
    const name = tableDocName(s.id, 1);
    const id = addPointTo(board, '');
    const typed = 'dit is een langere zin';
    for (const ch of typed) textOf(board, id).insert(textOf(board, id).length, ch);
    await expect.poll(() => serverTexts(server, s.id, 1)).toEqual([typed]);
    // 23 updates (the point and each character), yet at most compactEvery rows: the snapshot and
    // what came after it. Updates are committed in batches, and a batch is compacted once it
    // brings the count to compactEvery or more.
    await expect.poll(() => server.services.store.storedRows(name)).toBeLessThanOrEqual(10);
    expect(server.services.store.storedRows(name)).toBeGreaterThan(0);
    await closeClients();
    await server.restart();
    expect(serverTexts(server, s.id, 1)).toEqual([typed]);
  });
});
