/**
 * The plenary board: its document (themes merged and renamed, harvests that never double) and
 * the real server's harvest, access rules and live view for the projector.
 */
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { markNotSame, mergePoint, mergesOf, notSameMap, readNotSame, readPoints, toggleTop } from '../shared/board.js';
import { pairKey } from '../shared/similarity.js';
import { plenaryDocName } from '../server/yjs/docNames.js';
import {
  addPlenaryTheme,
  converging,
  harvestPoint,
  mergePlenaryThemes,
  plenaryView,
  readPlenaryThemes,
  renamePlenaryTheme,
  resolvePlenaryTheme,
  sortByTables,
} from '../shared/plenary.js';
import type { Report } from '../shared/report.js';
import { Events, YJS_SUBPROTOCOL, type PlenaryBoard, type PlenaryHarvestResult } from '../shared/protocol.js';
import {
  addPointTo,
  credentialProtocol,
  emitAck,
  emitOk,
  gotoStep,
  joinDevice,
  startedSession,
  tableProvider,
  type TableBoard,
  TEST_AGENDA,
  viewer,
  waitForServerPoints,
  yjsUpgradeStatus,
  WAIT,
} from './helpers/clients.js';
import { useTestServer } from './helpers/setup.js';

const THEMES = [
  { id: 'communicatie', label: 'Communicatie' },
  { id: 'samenwerking', label: 'Samenwerking' },
  { id: 'participatie', label: 'Participatie' },
];

const origin = (table: number, point: string, count = 1) => ({ table, round: 'r1', point, count });

describe('the plenary document', () => {
  it('uses the session themes until it has its own, then renames, adds and merges them', () => {
    const doc = new Y.Doc();
    expect(readPlenaryThemes(doc, THEMES)).toEqual(THEMES);
    renamePlenaryTheme(doc, THEMES, 'communicatie', 'Informatie en communicatie');
    addPlenaryTheme(doc, THEMES, 'tips', 'Tips');
    expect(readPlenaryThemes(doc, THEMES).map((t) => t.label)).toEqual(['Informatie en communicatie', 'Samenwerking', 'Participatie', 'Tips']);

    harvestPoint(doc, { id: 'a', theme: 'participatie', text: 'Neem uitkomsten serieus', origin: origin(1, 'x') });
    mergePlenaryThemes(doc, THEMES, 'participatie', 'samenwerking');
    expect(readPlenaryThemes(doc, THEMES).map((t) => t.id)).toEqual(['communicatie', 'samenwerking', 'tips']);
    expect(readPoints(doc)[0]!.theme).toBe('samenwerking');
    // A point harvested later under the merged theme lands where its theme went.
    harvestPoint(doc, { id: 'b', theme: 'participatie', text: 'Evalueer samen', origin: origin(2, 'y') });
    expect(plenaryView(doc, THEMES).points.map((p) => p.theme)).toEqual(['samenwerking', 'samenwerking']);
    expect(resolvePlenaryTheme(doc, 'participatie')).toBe('samenwerking');
  });

  it('does not merge a theme into itself or into one that was merged away', () => {
    const doc = new Y.Doc();
    mergePlenaryThemes(doc, THEMES, 'communicatie', 'communicatie');
    mergePlenaryThemes(doc, THEMES, 'participatie', 'samenwerking');
    mergePlenaryThemes(doc, THEMES, 'communicatie', 'participatie');
    expect(readPlenaryThemes(doc, THEMES).map((t) => t.id)).toEqual(['communicatie', 'samenwerking']);
  });

  it('harvests a table point once, and counts duplicates from several tables together', () => {
    const doc = new Y.Doc();
    expect(harvestPoint(doc, { id: 'a', theme: 'communicatie', text: 'Tijdig informeren', origin: origin(1, 'p1', 2) })).toBe(true);
    expect(harvestPoint(doc, { id: 'again', theme: 'communicatie', text: 'Tijdig informeren', origin: origin(1, 'p1', 2) })).toBe(false);
    harvestPoint(doc, { id: 'b', theme: 'communicatie', text: 'Op tijd informeren', origin: origin(3, 'p9') });
    harvestPoint(doc, { id: 'c', theme: 'samenwerking', text: 'Korte lijntjes', origin: origin(3, 'p10') });
    mergePoint(doc, 'b', 'a', { by: 'hand', step: null });
    const view = plenaryView(doc, THEMES);
    expect(view.points).toEqual([
      { id: 'a', theme: 'communicatie', cluster: null, text: 'Tijdig informeren', count: 3, tables: [1, 3], merged: ['Op tijd informeren'] },
      { id: 'c', theme: 'samenwerking', cluster: null, text: 'Korte lijntjes', count: 1, tables: [3], merged: [] },
    ]);
  });
});

describe('convergence: what came up at several tables', () => {
  /** Six tables' points: "Tijdig informeren" at 1, 3, 4 and 6 (merged), "Korte lijntjes" at 2 and 5, the rest once. */
  function sixTables() {
    const doc = new Y.Doc();
    const add = (id: string, theme: string, text: string, table: number, count = 1) => harvestPoint(doc, { id, theme, text, origin: origin(table, id, count) });
    add('solo', 'communicatie', 'Nieuwsbrief op papier', 2);
    add('lijn', 'communicatie', 'Korte lijntjes', 2);
    add('tijd', 'communicatie', 'Tijdig informeren', 1, 2);
    add('tijd3', 'communicatie', 'Op tijd informeren', 3);
    add('tijd4', 'communicatie', 'Informeer op tijd', 4);
    add('tijd6', 'communicatie', 'Tijdig informeren', 6);
    add('lijn5', 'communicatie', 'Korte lijnen', 5);
    add('groen', 'samenwerking', 'Meer groen', 1);
    for (const dup of ['tijd3', 'tijd4', 'tijd6']) mergePoint(doc, dup, 'tijd', { by: 'suggestion', step: 'plenair' });
    mergePoint(doc, 'lijn5', 'lijn', { by: 'hand', step: 'plenair' });
    return doc;
  }

  it('lists the points raised at two tables or more, most tables first, with their counts', () => {
    const view = plenaryView(sixTables(), THEMES);
    expect(converging(view.points).map((p) => [p.text, p.tables, p.count])).toEqual([
      ['Tijdig informeren', [1, 3, 4, 6], 5],
      ['Korte lijntjes', [2, 5], 2],
    ]);
  });

  it('sorts each theme by the number of tables, keeping the order among equals, in one change', () => {
    const doc = sixTables();
    const changes: number[] = [];
    doc.on('afterTransaction', () => changes.push(1));
    sortByTables(doc);
    expect(changes).toHaveLength(1);
    const inTheme = (theme: string) =>
      plenaryView(doc, THEMES)
        .points.filter((p) => p.theme === theme)
        .map((p) => p.text);
    expect(inTheme('communicatie')).toEqual(['Tijdig informeren', 'Korte lijntjes', 'Nieuwsbrief op papier']);
    expect(inTheme('samenwerking')).toEqual(['Meer groen']);
  });

  it('keeps the trail of each merge: how and in which step', () => {
    expect(mergesOf(sixTables())).toEqual([
      { point: 'Korte lijntjes', merged: 'Korte lijnen', by: 'hand', step: 'plenair', fromTable: 5 },
      { point: 'Tijdig informeren', merged: 'Op tijd informeren', by: 'suggestion', step: 'plenair', fromTable: 3 },
      { point: 'Tijdig informeren', merged: 'Informeer op tijd', by: 'suggestion', step: 'plenair', fromTable: 4 },
      { point: 'Tijdig informeren', merged: 'Tijdig informeren', by: 'suggestion', step: 'plenair', fromTable: 6 },
    ]);
  });
});

/** The test agenda's round at the tables, then a plenary round, as in the thematafel template. */
const PLENARY_AGENDA = {
  rounds: [
    { steps: [...TEST_AGENDA.rounds[0]!.steps.slice(0, 1), { type: 'prioriteren' as const, durationSec: 300 }, ...TEST_AGENDA.rounds[0]!.steps.slice(1)] },
    { steps: [{ type: 'terugkoppeling' as const, durationSec: 600 }] },
  ],
};

describe('harvesting on the server', () => {
  const server = useTestServer();

  async function roomWithPoints() {
    const { s, fac } = await startedSession(server, { tables: 3, agenda: PLENARY_AGENDA });
    const d1 = await joinDevice(server, s, 1);
    const d2 = await joinDevice(server, s, 2);
    const b1 = await tableProvider(server, s.id, 1, { device: d1.token });
    const b2 = await tableProvider(server, s.id, 2, { device: d2.token });
    const p = {
      a: addPointTo(b1, 'Tijdig communiceren', 'communicatie'),
      b: addPointTo(b1, 'Korte lijntjes', 'samenwerking'),
      c: addPointTo(b1, 'Bewonersbrieven eerder delen', 'communicatie'),
      d: addPointTo(b2, 'Verwachtingen helder maken', 'participatie'),
    };
    await waitForServerPoints(server, s.id, 1, 3);
    await waitForServerPoints(server, s.id, 2, 1);
    return { s, fac, b1, b2, p };
  }

  const plenaryOf = (sessionId: string) => server.services.plenary.view(server.services.sessions.require(sessionId));

  it('brings every table’s chosen top points, names tables without a top 3, and never doubles', async () => {
    const { s, fac, b1, p } = await roomWithPoints();
    await gotoStep(fac, 'prioriteren');
    toggleTop(b1.doc, server.services.sessions.require(s.id).agenda.rounds[0]!.id, p.c);
    toggleTop(b1.doc, server.services.sessions.require(s.id).agenda.rounds[0]!.id, p.a);
    await vi.waitFor(() => expect(server.services.store.read(`${s.id}/1`, (d) => d.getMap('top').size)).toBe(1), WAIT);

    const first = await emitOk<PlenaryHarvestResult>(fac.socket, Events.plenaryHarvest, { from: 'tops' });
    expect(first).toEqual({ added: 2, withoutTop: [2] });
    const view = plenaryOf(s.id);
    expect(view.points.map((x) => [x.text, x.tables, x.theme])).toEqual([
      ['Bewonersbrieven eerder delen', [1], 'communicatie'],
      ['Tijdig communiceren', [1], 'communicatie'],
    ]);
    expect(await emitOk<PlenaryHarvestResult>(fac.socket, Events.plenaryHarvest, { from: 'tops' })).toEqual({ added: 0, withoutTop: [2] });
    expect(plenaryOf(s.id).points).toHaveLength(2);
  });

  it('carries a pair a table said is not the same to the plenary list, so it is not suggested there again', async () => {
    const { s, fac, b1, p } = await roomWithPoints();
    markNotSame(b1.doc, pairKey(p.a, p.c), 'clusteren-1');
    await vi.waitFor(() => expect(server.services.store.read(`${s.id}/1`, (d) => readNotSame(d).size)).toBe(1), WAIT);
    await emitOk<PlenaryHarvestResult>(fac.socket, Events.plenaryHarvest, { from: 'all' });
    const { pairs, ids } = server.services.store.read(plenaryDocName(s.id), (doc) => ({
      pairs: [...notSameMap(doc).entries()],
      ids: new Map(readPoints(doc).map((x) => [x.origin!.point, x.id])),
    }));
    expect(pairs).toEqual([[pairKey(ids.get(p.a)!, ids.get(p.c)!), { at: expect.any(Number) as number, step: 'clusteren-1' }]]);
  });

  it('“Top 3 ophalen” brings the top 3 of every round, round by round, not only the last round’s', async () => {
    const collect = (id: string) => [
      { id: `inbreng-${id}`, type: 'inbreng' as const, durationSec: 600 },
      { id: `top-${id}`, type: 'prioriteren' as const, durationSec: 300 },
    ];
    const agenda = {
      rounds: [
        { id: 'r1', steps: collect('r1') },
        { id: 'r2', steps: collect('r2') },
        { id: 'plenair', steps: [{ type: 'terugkoppeling' as const, durationSec: 600 }] },
      ],
    };
    const { s, fac } = await startedSession(server, { tables: 2, agenda });
    const boards = [];
    for (const table of [1, 2]) boards.push(await tableProvider(server, s.id, table, { device: (await joinDevice(server, s, table)).token }));
    const [b1, b2] = boards as [TableBoard, TableBoard];
    const write = async (round: string) => {
      const ids = { one: addPointTo(b1, `Tafel 1, ${round}`), two: addPointTo(b2, `Tafel 2, ${round}`) };
      await waitForServerPoints(server, s.id, 1, round === 'r1' ? 1 : 2);
      await waitForServerPoints(server, s.id, 2, round === 'r1' ? 1 : 2);
      return ids;
    };
    await gotoStep(fac, 'inbreng');
    const r1 = await write('r1');
    await gotoStep(fac, 'prioriteren');
    toggleTop(b1.doc, 'r1', r1.one);
    toggleTop(b2.doc, 'r1', r1.two);
    await gotoStep(fac, 'inbreng', 1);
    const r2 = await write('r2');
    await gotoStep(fac, 'prioriteren', 1);
    toggleTop(b1.doc, 'r2', r2.one); // table 2 chooses no top in round 2
    await vi.waitFor(() => expect(server.services.store.read(`${s.id}/1`, (d) => d.getMap('top').size)).toBe(2), WAIT);
    await gotoStep(fac, 'terugkoppeling');

    expect(await emitOk<PlenaryHarvestResult>(fac.socket, Events.plenaryHarvest, { from: 'tops' })).toEqual({ added: 3, withoutTop: [2] });
    const board = await tableProvider(server, s.id, 'plenary', { facilitator: s.facilitatorKey });
    expect(readPoints(board.doc).map((p) => [p.text, p.origin?.round])).toEqual([
      ['Tafel 1, r1', 'r1'],
      ['Tafel 2, r1', 'r1'],
      ['Tafel 1, r2', 'r2'],
    ]);
  });

  it('in a later round without table work, brings each table’s latest round; “all” brings every point', async () => {
    const { s, fac, p } = await roomWithPoints();
    const roundId = server.services.sessions.require(s.id).agenda.rounds[0]!.id;
    const b1 = await tableProvider(server, s.id, 1, { facilitator: s.facilitatorKey });
    expect(readPoints(b1.doc)).toHaveLength(3);
    // The thematafel template's plenary round comes after the rounds at the tables.
    await gotoStep(fac, 'terugkoppeling');
    expect(server.services.sessions.require(s.id).agenda.rounds.findIndex((r) => r.id === roundId)).toBe(0);
    expect(await emitOk<PlenaryHarvestResult>(fac.socket, Events.plenaryHarvest, { from: 'tops' })).toEqual({ added: 0, withoutTop: [1, 2] });
    expect(await emitOk<PlenaryHarvestResult>(fac.socket, Events.plenaryHarvest, { from: 'all' })).toEqual({ added: 4, withoutTop: [] });
    expect(
      plenaryOf(s.id)
        .points.map((x) => x.text)
        .sort(),
    ).toEqual(['Bewonersbrieven eerder delen', 'Korte lijntjes', 'Tijdig communiceren', 'Verwachtingen helder maken'].sort());
    expect(p.a).toBeTruthy();
  });

  it('lets the facilitator pick points from one table; unknown points change nothing', async () => {
    const { s, fac, p } = await roomWithPoints();
    expect(await emitOk<PlenaryHarvestResult>(fac.socket, Events.plenaryHarvest, { from: 'table', table: 2, pointIds: [p.d] })).toEqual({
      added: 1,
      withoutTop: [],
    });
    const refused = await emitAck(fac.socket, Events.plenaryHarvest, { from: 'table', table: 2, pointIds: [p.a] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const bad = await emitAck(fac.socket, Events.plenaryHarvest, { from: 'table', table: 2, pointIds: [] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(plenaryOf(s.id).points.map((x) => x.text)).toEqual(['Verwachtingen helder maken']);
    const log = server.services.events.list(s.id).filter((e) => e.type === 'plenary.harvested');
    expect(log.map((e) => e.data)).toEqual([{ from: 'table', table: 2, added: 1 }]);
  });

  it('only the facilitator opens the plenary document, and may write in it; the projector follows live', async () => {
    const { s, fac, p } = await roomWithPoints();
    const d3 = await joinDevice(server, s, 3);
    const room = `${s.id}/plenary`;
    expect(await yjsUpgradeStatus(server, room, [YJS_SUBPROTOCOL, credentialProtocol({ device: d3.token })])).toBe(403);
    expect(await yjsUpgradeStatus(server, room, [YJS_SUBPROTOCOL, credentialProtocol({ facilitator: 'x'.repeat(32) })])).toBe(401);

    const projector = await viewer(server, s.id);
    const boards: PlenaryBoard[] = [];
    projector.socket.on(Events.plenaryBoard, (b) => boards.push(b));
    await emitOk(fac.socket, Events.plenaryHarvest, { from: 'table', table: 1, pointIds: [p.a, p.b] });

    const plenary = await tableProvider(server, s.id, 'plenary', { facilitator: s.facilitatorKey });
    await vi.waitFor(() => expect(readPoints(plenary.doc)).toHaveLength(2), WAIT);
    const [first, second] = readPoints(plenary.doc);
    mergePoint(plenary.doc, second!.id, first!.id, { by: 'hand', step: null });
    mergePlenaryThemes(plenary.doc, THEMES, 'samenwerking', 'communicatie');
    await vi.waitFor(() => {
      const last = boards.at(-1);
      expect(last?.points).toHaveLength(1);
      expect(last?.points[0]).toMatchObject({ count: 2, tables: [1], merged: ['Korte lijntjes'] });
      expect(last?.themes.map((t) => t.id)).toEqual(['communicatie', 'participatie']);
    }, WAIT);
    // What the facilitator did is on the server, not just in the browser.
    expect(plenaryOf(s.id).points).toHaveLength(1);
  });

  it('the report carries the plenary board in every format', async () => {
    const { s, fac, p } = await roomWithPoints();
    await emitOk(fac.socket, Events.plenaryHarvest, { from: 'table', table: 1, pointIds: [p.a, p.c] });
    await emitOk(fac.socket, Events.plenaryHarvest, { from: 'table', table: 2, pointIds: [p.d] });
    const auth = { Authorization: `Bearer ${s.facilitatorKey}` };
    const json = (await (await fetch(`${server.url}/api/sessions/${s.id}/report.json`, { headers: auth })).json()) as Report;
    expect(json.plenary).toEqual({
      themes: [
        {
          id: 'communicatie',
          label: 'Communicatie',
          points: [
            { text: 'Tijdig communiceren', count: 1, tables: [1], merged: [], cluster: null },
            { text: 'Bewonersbrieven eerder delen', count: 1, tables: [1], merged: [], cluster: null },
          ],
        },
        { id: 'participatie', label: 'Participatie', points: [{ text: 'Verwachtingen helder maken', count: 1, tables: [2], merged: [], cluster: null }] },
      ],
      hidden: 0,
    });
    const md = await (await fetch(`${server.url}/api/sessions/${s.id}/report.md`, { headers: auth })).text();
    expect(md).toContain('## Bijlage: de plenaire lijst');
    expect(md).toMatch(/Verwachtingen helder maken.*tafel 2/);
    const csv = await (await fetch(`${server.url}/api/sessions/${s.id}/report.csv`, { headers: auth })).text();
    expect(csv).toContain('plenair,,Participatie,,2,,,,,Verwachtingen helder maken,1');
  });

  it('the plenary board can be put in the projector’s spotlight', async () => {
    const { s, fac } = await roomWithPoints();
    const projector = await emitOk(fac.socket, Events.projectorSet, { spotlight: { kind: 'plenary' } });
    expect(projector).toMatchObject({ theme: 'dark', spotlight: { kind: 'plenary' }, pinned: false });
    const late = await viewer(server, s.id);
    await vi.waitFor(() => expect(late.lastSessionState()?.projector.spotlight).toEqual({ kind: 'plenary' }), WAIT);
  });
});
