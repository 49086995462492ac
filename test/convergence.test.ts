/**
 * Convergence of the table documents under concurrent and offline editing, against the real
 * server and real y-websocket providers: random edits from three tablets at once, and a tablet
 * that loses its connection, keeps editing and merges again on reconnect (also after the step
 * moved on while it was away).
 */
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { tableDocName } from '../server/yjs/docNames.js';
import { addPoint, pointsMap, pointText, type PointData } from '../shared/board.js';
import {
  addPointTo,
  closeClients,
  currentStepOf,
  gotoStep,
  joinDevice,
  startedSession,
  tableProvider,
  waitForServerPoints,
  type TableBoard,
} from './helpers/clients.js';
import { useTestServer } from './helpers/setup.js';
import { seededRandom } from './helpers/random.js';

const server = useTestServer();

const TABLE = 1;

/** What must be the same everywhere: ids, texts and themes, in id order. */
type Canon = { id: string; text: string; theme: string }[];
const canon = (points: PointData[]): Canon =>
  points.map(({ id, text, theme }) => ({ id, text, theme })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

const serverPoints = (sessionId: string) => server.services.pointsOf(sessionId, TABLE);
const serverStateVector = (sessionId: string) => server.services.store.read(tableDocName(sessionId, TABLE), (doc) => Y.encodeStateVector(doc));

/** Waits until every board and the server's document hold the same points and the same state. */
async function converged(sessionId: string, boards: TableBoard[]): Promise<Canon> {
  await vi.waitFor(
    () => {
      const expected = canon(serverPoints(sessionId));
      const sv = serverStateVector(sessionId);
      for (const [i, b] of boards.entries()) {
        expect(canon(b.points()), `board ${i} points`).toEqual(expected);
        expect(Buffer.from(Y.encodeStateVector(b.doc)).equals(Buffer.from(sv)), `board ${i} state vector`).toBe(true);
      }
    },
    { timeout: 8000, interval: 10 },
  );
  return canon(serverPoints(sessionId));
}

function textOf(board: TableBoard, pointId: string): Y.Text {
  const point = pointsMap(board.doc).get(pointId);
  const text = point && pointText(point);
  if (!text) throw new Error(`no point ${pointId}`);
  return text;
}

const ids = (points: { id: string }[]) => points.map((p) => p.id);
const unique = <T>(xs: T[]) => new Set(xs).size === xs.length;

/**
 * Moves a UTF-16 offset off the middle of a surrogate pair (back with -1, on with +1), as an
 * editor's cursor never stands inside an emoji.
 */
function boundary(str: string, at: number, dir: -1 | 1): number {
  const inPair = at > 0 && at < str.length && /[\uD800-\uDBFF]/.test(str[at - 1]!) && /[\uDC00-\uDFFF]/.test(str[at]!);
  return inPair ? at + dir : at;
}

/** Lets messages between the providers and the server go through for a few event-loop turns. */
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

describe('convergence of a table document', () => {
  it('three tablets editing at random converge', async () => {
    const seed = Number(process.env.CONVERGENCE_SEED ?? 0x7af31e);
    const rand = seededRandom(seed);
    const int = (n: number) => Math.floor(rand() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

    const { s, fac } = await startedSession(server, { tables: 1 });
    const themes = fac.lastSessionState()!.themes.map((t) => t.id);
    expect(themes.length).toBeGreaterThan(1);
    const boards: TableBoard[] = [];
    for (let i = 0; i < 3; i++) {
      const d = await joinDevice(server, s, TABLE);
      boards.push(await tableProvider(server, s.id, TABLE, { device: d.token }));
    }
    const made = currentStepOf(server, s.id);
    expect(made.step).not.toBeNull();

    const added = new Set<string>();
    const deleted = new Set<string>();
    const done = { add: 0, insert: 0, remove: 0, move: 0, empty: 0, drop: 0 };
    const words = ['fiets', 'groen', 'buurt', 'school', 'veilig', 'bus', 'park', ' ', 'ë', '😀'];
    const OPS = 150;
    /** Operations made while the tablets did not all hold the same state: real concurrency. */
    let diverged = 0;
    const stateOf = (b: TableBoard) => Buffer.from(Y.encodeStateVector(b.doc)).toString('hex');

    for (let op = 0; op < OPS; op++) {
      if (new Set(boards.map(stateOf)).size > 1) diverged++;
      const tablet = int(boards.length);
      const doc = boards[tablet]!.doc;
      const map = pointsMap(doc);
      const live = [...map.keys()];
      const r = rand();
      if (live.length === 0 || r < 0.2) {
        const id = `t${tablet}-op${op}`;
        addPoint(doc, { id, theme: pick(themes), text: rand() < 0.3 ? '' : pick(words), round: made.round, step: made.step, createdAt: op });
        added.add(id);
        done.add++;
      } else if (r < 0.55) {
        const text = pointText(map.get(pick(live))!)!;
        text.insert(boundary(text.toJSON(), int(text.length + 1), -1), pick(words));
        done.insert++;
      } else if (r < 0.72) {
        const text = pointText(map.get(pick(live))!)!;
        if (text.length > 0) {
          const str = text.toJSON();
          const at = boundary(str, int(text.length), -1);
          const end = boundary(str, at + 1 + int(Math.min(4, text.length - at)), 1);
          text.delete(at, end - at);
          done.remove++;
        }
      } else if (r < 0.88) {
        const point = map.get(pick(live))!;
        point.set('theme', pick(themes.filter((t) => t !== point.get('theme'))));
        done.move++;
      } else {
        // A tablet deletes a point it sees empty; if none is, it clears one first.
        const empty = live.filter((id) => pointText(map.get(id)!)!.length === 0);
        if (empty.length > 0) {
          const id = pick(empty);
          map.delete(id);
          deleted.add(id);
          done.drop++;
        } else {
          const text = pointText(map.get(pick(live))!)!;
          text.delete(0, text.length);
          done.empty++;
        }
      }
      // Mostly no waiting at all (edits cross in flight); now and then a few turns, so later
      // edits build on some of the others' work and some on stale state.
      if (rand() < 0.25) await turns(1 + int(4));
    }
    // Every kind of edit happened.
    for (const [kind, n] of Object.entries(done)) expect(n, `${kind} operations (seed ${seed})`).toBeGreaterThan(0);
    expect(diverged, 'operations made on diverged states').toBeGreaterThan(OPS / 2);

    const final = await converged(s.id, boards);
    expect(unique(ids(final))).toBe(true);
    // Ids are never reused, so every delete wins: what is left is exactly what was added and not deleted.
    const survivors = [...added].filter((id) => !deleted.has(id)).sort();
    expect(ids(final).sort()).toEqual(survivors);
    expect(final).toHaveLength(added.size - deleted.size);
    // No malformed entries either: the raw maps hold just these points.
    for (const b of boards) expect([...pointsMap(b.doc).keys()].sort()).toEqual(survivors);
    for (const p of final) expect(themes).toContain(p.theme);
  });

  it('a tablet that loses the connection keeps working and merges on reconnect without lost or doubled points', async () => {
    const { s } = await startedSession(server, { tables: 1 });
    const dA = await joinDevice(server, s, TABLE);
    const dB = await joinDevice(server, s, TABLE);
    const A = await tableProvider(server, s.id, TABLE, { device: dA.token });
    const B = await tableProvider(server, s.id, TABLE, { device: dB.token });

    const initial = [addPointTo(A, 'Eerste punt'), addPointTo(B, 'Gedeeld punt', 'samenwerking'), addPointTo(A, 'Derde punt')];
    const shared = initial[1]!;
    await waitForServerPoints(server, s.id, TABLE, 3);
    await converged(s.id, [A, B]);

    // Cut A off.
    A.provider.disconnect();
    expect(A.provider.wsconnected).toBe(false);
    expect(A.provider.ws).toBeNull();

    const offline = ['Offline 1', 'Offline 2', 'Offline 3'].map((t) => addPointTo(A, t, 'participatie'));
    textOf(A, shared).insert(0, 'A: ');
    const online = ['Online 1', 'Online 2'].map((t) => addPointTo(B, t));
    textOf(B, shared).insert(textOf(B, shared).length, ' (B)');

    // B's work reaches the server, A's does not; neither sees the other's.
    await waitForServerPoints(server, s.id, TABLE, 5);
    await expect.poll(() => serverPoints(s.id).find((p) => p.id === shared)?.text).toBe('Gedeeld punt (B)');
    expect(ids(serverPoints(s.id))).not.toEqual(expect.arrayContaining([offline[0]]));
    expect(A.provider.wsconnected).toBe(false);
    expect(ids(A.points())).toEqual([...initial, ...offline]);
    expect(textOf(A, shared).toJSON()).toBe('A: Gedeeld punt');

    A.provider.connect();
    await vi.waitFor(() => expect(A.provider.synced).toBe(true), { timeout: 5000, interval: 5 });

    const final = await converged(s.id, [A, B]);
    const union = [...initial, ...offline, ...online];
    expect(final).toHaveLength(union.length);
    expect(unique(ids(final))).toBe(true);
    expect(ids(final).sort()).toEqual([...union].sort());
    expect(unique(final.map((p) => p.text))).toBe(true);
    expect(final.find((p) => p.id === shared)).toEqual({ id: shared, text: 'A: Gedeeld punt (B)', theme: 'samenwerking' });
    for (const id of offline) expect(final.find((p) => p.id === id)?.theme).toBe('participatie');

    // The server stored it: a restarted server reads back the same content from its database.
    await closeClients();
    await server.restart();
    expect(server.services.store.isLoaded(tableDocName(s.id, TABLE))).toBe(false);
    expect(canon(serverPoints(s.id))).toEqual(final);
  });

  it('what a tablet wrote offline during inbreng is refused once the server has moved on, whatever the points claim', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const denials = () => warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('Permission denied'));
    try {
      const { s, fac } = await startedSession(server, { tables: 1 });
      const dA = await joinDevice(server, s, TABLE);
      const dB = await joinDevice(server, s, TABLE);
      const A = await tableProvider(server, s.id, TABLE, { device: dA.token });
      const B = await tableProvider(server, s.id, TABLE, { device: dB.token });
      const first = addPointTo(B, 'Van tablet B');
      await waitForServerPoints(server, s.id, TABLE, 1);
      const before = await converged(s.id, [A, B]);
      const inbreng = currentStepOf(server, s.id).step;

      A.provider.disconnect();
      expect(A.provider.wsconnected).toBe(false);
      const offline = addPointTo(A, 'Offline tijdens de inbreng');
      expect(A.points().find((p) => p.id === offline)?.step).toBe(inbreng);
      textOf(A, first).insert(0, 'Ook A: ');

      await gotoStep(fac, 'stemmen');
      expect(currentStepOf(server, s.id).step).not.toBe(inbreng);

      // The points say they were made during inbreng; the server is in stemmen and decides.
      A.provider.connect();
      await vi.waitFor(() => expect(denials().length).toBeGreaterThanOrEqual(1), { timeout: 5000, interval: 5 });
      expect(denials()[0]).toMatch(/step.locked/);
      await expect.poll(() => ids(A.points())).not.toContain(offline);
      const final = await converged(s.id, [A, B]);
      expect(final).toEqual(before);
      expect(ids(serverPoints(s.id))).not.toContain(offline);

      // A new point now is refused and undone too, on A and for B.
      const late = addPointTo(A, 'Te laat');
      await vi.waitFor(() => expect(denials().length).toBeGreaterThanOrEqual(2), { timeout: 5000, interval: 5 });
      await expect.poll(() => ids(A.points())).not.toContain(late);
      expect(await converged(s.id, [A, B])).toEqual(before);
      expect(pointsMap(B.doc).has(late)).toBe(false);
    } finally {
      warn.mockRestore();
    }
  });
});
