/**
 * The board obeys the step, on the server (docs/api.md, "What a board accepts, step by step"):
 * real tablets and a real table host change a table document through WebsocketProvider in every
 * phase of a session, and the server keeps or undoes each change by its own step, never by what
 * the change says about itself. Hidden is the host's in every form; nothing changes after the end.
 */
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { boardPhase, refusalOf, type BoardChange } from '../server/domain/boardRules.js';
import { tableDocName } from '../server/yjs/docNames.js';
import { wholeCharacters } from '../server/yjs/updateGuard.js';
import { STEP_TYPES } from '../shared/agenda.js';
import { addPoint, markNotSame, mergePoint, notSameMap, pointsMap, pointText, readNotSame, readPoints, unmergePoint } from '../shared/board.js';
import { pairKey } from '../shared/similarity.js';
import { Events, LIMITS, type CreateSessionBody } from '../shared/protocol.js';
import {
  addPointTo,
  createSession,
  emitOk,
  facilitator,
  gotoStep,
  hostKeyOf,
  joinDevice,
  startSession,
  tableProvider,
  waitForServerPoints,
  WAIT,
  type TableBoard,
} from './helpers/clients.js';
import { useTestServer } from './helpers/setup.js';

const server = useTestServer();

const AGENDA: NonNullable<CreateSessionBody['agenda']> = {
  rounds: [
    {
      steps: [
        { type: 'inbreng', durationSec: 600 },
        { type: 'prioriteren', durationSec: 300 },
        { type: 'terugkoppeling', durationSec: 300 },
      ],
    },
  ],
};

/** A session in inbreng with two points at table 1, written by a tablet; the host watches. */
async function room() {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const s = await createSession(server, { tables: 1, agenda: AGENDA });
  const fac = await facilitator(server, s);
  await startSession(fac);
  const d = await joinDevice(server, s, 1);
  const tablet = await tableProvider(server, s.id, 1, { device: d.token });
  const host = await tableProvider(server, s.id, 1, { host: hostKeyOf(s, 1) });
  const a = addPointTo(tablet, 'Punt een');
  const b = addPointTo(tablet, 'Punt twee');
  await waitForServerPoints(server, s.id, 1, 2);
  await expect.poll(() => host.points().length).toBe(2);
  const denials = () => warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('Permission denied'));
  /** Waits for the next refusal and returns its code. */
  const refused = async (before: number) => {
    await vi.waitFor(() => expect(denials().length).toBeGreaterThan(before), WAIT);
    return /\n(\w+):/.exec(denials().at(-1)!)![1];
  };
  const stored = () => server.services.store.read(tableDocName(s.id, 1), readPoints);
  return { s, fac, tablet, host, a, b, denials, refused, stored, done: () => warn.mockRestore() };
}

const point = (board: TableBoard, id: string) => pointsMap(board.doc).get(id)!;

describe('the rules, as a table', () => {
  it('every step type has its phase, and every change its answer per phase and writer', () => {
    expect(STEP_TYPES.map((t) => [t, boardPhase('running', t)])).toEqual([
      ['instructie', 'locked'],
      ['inbreng', 'collecting'],
      ['clusteren', 'collecting'],
      ['stemmen', 'locked'],
      ['prioriteren', 'prioritising'],
      ['terugkoppeling', 'locked'],
      ['evaluatie', 'locked'],
      ['pauze', 'locked'],
    ]);
    const edit: BoardChange = { kind: 'point.text' };
    const hide: BoardChange = { kind: 'point.hidden' };
    expect(refusalOf(edit, 'collecting', 'device', false)).toBeNull();
    expect(refusalOf(edit, 'prioritising', 'host', false)).toBe('step_locked');
    expect(refusalOf({ kind: 'top' }, 'prioritising', 'device', false)).toBeNull();
    expect(refusalOf(hide, 'locked', 'host', false)).toBeNull();
    expect(refusalOf(hide, 'collecting', 'device', false)).toBe('host_only');
    expect(refusalOf({ kind: 'point.delete', id: 'x', hidden: true }, 'collecting', 'device', false)).toBe('host_only');
    expect(refusalOf(hide, 'ended', 'host', false)).toBe('session_ended');
    expect(refusalOf(edit, 'ended', 'facilitator', true)).toBe('session_ended');
    expect(refusalOf({ kind: 'shape', what: 'x' }, 'collecting', 'host', false)).toBe('bad_shape');
  });
});

describe('hidden belongs to the host, in every form', () => {
  it('a tablet cannot unhide by deleting the field, replacing the point or deleting it; the host can', async () => {
    const r = await room();
    try {
      point(r.host, r.a).set('hidden', true);
      await expect.poll(() => r.stored().find((p) => p.id === r.a)?.hidden).toBe(true);
      await expect.poll(() => point(r.tablet, r.a).get('hidden')).toBe(true);

      let n = r.denials().length;
      point(r.tablet, r.a).delete('hidden');
      expect(await r.refused(n)).toBe('host_only');
      await expect.poll(() => point(r.tablet, r.a).get('hidden')).toBe(true);

      n = r.denials().length;
      addPoint(r.tablet.doc, { id: r.a, theme: 'communicatie', round: null, step: null, text: 'Vervangen' });
      expect(await r.refused(n)).toBe('host_only');
      n = r.denials().length;
      pointsMap(r.tablet.doc).delete(r.a);
      expect(await r.refused(n)).toBe('host_only');
      await expect.poll(() => r.tablet.points().find((p) => p.id === r.a)).toMatchObject({ text: 'Punt een', hidden: true });
      expect(r.stored().find((p) => p.id === r.a)).toMatchObject({ text: 'Punt een', hidden: true });

      // A point the tablet makes with hidden set is refused whole.
      n = r.denials().length;
      pointsMap(r.tablet.doc).set(
        'sneaky',
        (() => {
          const m = new Y.Map<unknown>();
          m.set('text', new Y.Text('Verstopt'));
          m.set('theme', 'communicatie');
          m.set('hidden', true);
          return m;
        })(),
      );
      expect(await r.refused(n)).toBe('host_only');
      await expect.poll(() => pointsMap(r.tablet.doc).has('sneaky')).toBe(false);

      point(r.host, r.a).delete('hidden');
      await expect.poll(() => r.stored().find((p) => p.id === r.a)?.hidden).toBe(false);
    } finally {
      r.done();
    }
  });
});

describe('what a step allows', () => {
  it('collecting: a tablet writes, edits, moves, merges and deletes; prioriteren: only the top; terugkoppeling: the host hides, nothing else', async () => {
    const r = await room();
    try {
      pointText(point(r.tablet, r.a))!.insert(0, 'Eerste ');
      point(r.tablet, r.b).set('theme', 'samenwerking');
      point(r.tablet, r.b).set('mergedInto', r.a);
      point(r.tablet, r.b).delete('mergedInto');
      const c = addPointTo(r.tablet, 'Weg ermee');
      await waitForServerPoints(server, r.s.id, 1, 3);
      pointsMap(r.tablet.doc).delete(c);
      await expect
        .poll(() => r.stored().map((p) => [p.text, p.theme]))
        .toEqual([
          ['Eerste Punt een', 'communicatie'],
          ['Punt twee', 'samenwerking'],
        ]);
      expect(r.denials()).toEqual([]);

      await gotoStep(r.fac, 'prioriteren');
      let n = r.denials().length;
      pointsMap(r.tablet.doc).delete(r.b);
      expect(await r.refused(n)).toBe('step_locked');
      await expect.poll(() => r.tablet.points().map((p) => p.id)).toContain(r.b);

      await gotoStep(r.fac, 'terugkoppeling');
      n = r.denials().length;
      pointsMap(r.tablet.doc).delete(r.b);
      expect(await r.refused(n)).toBe('step_locked');
      n = r.denials().length;
      pointText(point(r.host, r.b))!.insert(0, 'Host: ');
      expect(await r.refused(n)).toBe('step_locked');
      point(r.host, r.b).set('hidden', true);
      await expect.poll(() => r.stored().find((p) => p.id === r.b)).toMatchObject({ text: 'Punt twee', hidden: true });
      await expect.poll(() => r.tablet.points().find((p) => p.id === r.b)).toMatchObject({ text: 'Punt twee', hidden: true });
    } finally {
      r.done();
    }
  });

  it('after the end nothing changes, not even for the host, and the report stays as it was', async () => {
    const r = await room();
    try {
      await gotoStep(r.fac, 'terugkoppeling');
      await emitOk(r.fac.socket, Events.stepNext, {});
      expect(r.fac.lastSessionState()?.run.status).toBe('ended');
      const auth = { headers: { authorization: `Bearer ${r.s.facilitatorKey}` } };
      const report = async () => {
        const { generatedAt: _at, ...rest } = (await (await fetch(`${server.url}/api/sessions/${r.s.id}/report.json`, auth)).json()) as Record<string, unknown>;
        return rest;
      };
      const before = await report();
      const attempts: (() => void)[] = [
        () => pointText(point(r.tablet, r.a))!.insert(0, 'Later: '),
        () => pointsMap(r.tablet.doc).delete(r.b),
        () => addPointTo(r.tablet, 'Na afloop'),
        () => point(r.host, r.a).set('hidden', true),
        () => pointsMap(r.host.doc).delete(r.a),
      ];
      for (const attempt of attempts) {
        const n = r.denials().length;
        attempt();
        expect(await r.refused(n)).toBe('session_ended');
      }
      await expect
        .poll(() => r.tablet.points().map((p) => [p.text, p.hidden]))
        .toEqual([
          ['Punt een', false],
          ['Punt twee', false],
        ]);
      expect(r.stored().map((p) => [p.text, p.hidden])).toEqual([
        ['Punt een', false],
        ['Punt twee', false],
      ]);
      expect(await report()).toEqual(before);
    } finally {
      r.done();
    }
  });
});

describe('the shape of the document', () => {
  it('a point that is not a map, an unknown field or an unknown root is refused, the connection stays, and nothing of it is stored', async () => {
    const r = await room();
    try {
      const attempts: (() => void)[] = [
        () => pointsMap(r.tablet.doc).set('plat', 'geheime tekst' as unknown as Y.Map<unknown>),
        () => point(r.tablet, r.a).set('eigenaar', 'tablet 3'),
        () => r.tablet.doc.getArray('elders').insert(0, ['verboden wortel']),
      ];
      for (const attempt of attempts) {
        const n = r.denials().length;
        attempt();
        expect(await r.refused(n)).toBe('bad_shape');
      }
      expect(r.tablet.closes).toEqual([]);
      expect(r.tablet.provider.wsconnected).toBe(true);
      // The tablet still writes afterwards.
      pointText(point(r.tablet, r.b))!.insert(0, 'Nog steeds: ');
      await expect.poll(() => r.stored().find((p) => p.id === r.b)?.text).toBe('Nog steeds: Punt twee');
      const rows = (server.services.db.prepare('SELECT data FROM yjs_updates WHERE doc = ?').all(tableDocName(r.s.id, 1)) as { data: Buffer }[])
        .map((row) => row.data.toString('utf8'))
        .join('');
      for (const gone of ['geheime tekst', 'tablet 3', 'verboden wortel']) expect(rows).not.toContain(gone);
    } finally {
      r.done();
    }
  });

  it('a merge keeps its trail and a dismissed suggestion is remembered, in their shape only, and only while the table sorts', async () => {
    const r = await room();
    try {
      mergePoint(r.tablet.doc, r.b, r.a, { by: 'suggestion', step: 'stap-1' });
      markNotSame(r.tablet.doc, pairKey(r.a, 'elders'), 'stap-1', 1);
      await expect.poll(() => r.stored().find((p) => p.id === r.b)).toMatchObject({ mergedInto: r.a, trail: { by: 'suggestion', step: 'stap-1' } });
      await expect.poll(() => server.services.store.read(tableDocName(r.s.id, 1), (doc) => [...readNotSame(doc)])).toEqual([pairKey(r.a, 'elders')]);
      expect(r.denials()).toEqual([]);
      unmergePoint(r.tablet.doc, r.b);
      await expect.poll(() => r.stored().find((p) => p.id === r.b)).toMatchObject({ mergedInto: null, trail: null });

      const bad: (() => void)[] = [
        () => point(r.tablet, r.b).set('mergedBy', 'robot'),
        () => notSameMap(r.tablet.doc).set('geen-paar', { at: 1, step: null }),
        () => notSameMap(r.tablet.doc).set(pairKey('x', 'y'), { at: 1, step: null, wie: 'tablet 3' }),
      ];
      for (const attempt of bad) {
        const n = r.denials().length;
        attempt();
        expect(await r.refused(n)).toBe('bad_shape');
      }
      await gotoStep(r.fac, 'prioriteren');
      const n = r.denials().length;
      markNotSame(r.tablet.doc, pairKey(r.a, r.b), null);
      expect(await r.refused(n)).toBe('step_locked');
      await expect.poll(() => server.services.store.read(tableDocName(r.s.id, 1), (doc) => [...readNotSame(doc)])).toEqual([pairKey(r.a, 'elders')]);
    } finally {
      r.done();
    }
  });

  it('the 500-character cut keeps a character whole: an emoji, a skin tone, a flag', async () => {
    expect(wholeCharacters('a'.repeat(499) + '👍', 500)).toBe(499);
    expect(wholeCharacters('a'.repeat(497) + '👍🏽', 500)).toBe(497);
    expect(wholeCharacters('a'.repeat(498) + '🇳🇱', 500)).toBe(498);
    expect(wholeCharacters('a'.repeat(496) + '🇳🇱', 500)).toBe(500);
    expect(wholeCharacters('kort', 500)).toBe(4);
    const r = await room();
    try {
      const text = 'a'.repeat(LIMITS.pointTextLength - 1) + '👍🏽 en meer';
      pointText(point(r.tablet, r.a))!.delete(0, 'Punt een'.length);
      pointText(point(r.tablet, r.a))!.insert(0, text);
      await expect.poll(() => r.stored().find((p) => p.id === r.a)?.text).toBe('a'.repeat(LIMITS.pointTextLength - 1));
      await expect.poll(() => r.tablet.points().find((p) => p.id === r.a)?.text).toBe('a'.repeat(LIMITS.pointTextLength - 1));
    } finally {
      r.done();
    }
  });

  it('presence carries only which point a tablet is writing in, and at most a few hundred bytes', async () => {
    const r = await room();
    try {
      r.tablet.provider.awareness.setLocalState({ editing: r.a, name: 'Jan Jansen', message: 'Hallo allemaal' });
      await expect.poll(() => [...r.host.provider.awareness.getStates().values()]).toContainEqual({ editing: r.a });
      r.tablet.provider.awareness.setLocalState({ editing: r.b, padding: 'y'.repeat(5000) });
      await expect.poll(() => [...r.host.provider.awareness.getStates().values()]).toContainEqual({ editing: null });
      const states = JSON.stringify([...r.host.provider.awareness.getStates().values()]);
      expect(states).not.toContain('Jan Jansen');
      expect(states).not.toContain('yyyy');
      expect(states).not.toContain('Hallo');
    } finally {
      r.done();
    }
  });
});
