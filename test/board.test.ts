/** A table's board document (shared/board.ts): points and the table's own top 3. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addPoint,
  mergePoint,
  mergeRoot,
  movePoint,
  pointsMap,
  pointText,
  readPoints,
  readTop,
  toggleTop,
  topMap,
  TOP_SIZE,
  unmergePoint,
  visiblePoints,
} from '../shared/board.js';
import { seededRandom } from './helpers/random.js';

const ROUND = 'r1';

function boardWith(n: number, clientID?: number): { doc: Y.Doc; ids: string[] } {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  const ids = Array.from({ length: n }, (_, i) => `p${i + 1}`);
  ids.forEach((id, i) => addPoint(doc, { id, theme: 'communicatie', round: ROUND, step: 's1', text: `Punt ${i + 1}`, createdAt: 1000 + i }));
  return { doc, ids };
}

/** Two replicas of one board, like two tablets at a table that are in sync. */
function twoReplicas(n: number) {
  const { doc: a, ids } = boardWith(n, 1);
  const b = new Y.Doc();
  b.clientID = 2;
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return { a, b, ids };
}

/** Exchanges everything both ways. */
function sync(...docs: Y.Doc[]) {
  for (const from of docs) for (const to of docs) if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

const hide = (doc: Y.Doc, id: string) => pointsMap(doc).get(id)!.set('hidden', true);

describe('addPoint and readPoints', () => {
  it('stores round, step and creation time, and reads points oldest first', () => {
    const doc = new Y.Doc();
    addPoint(doc, { id: 'b', theme: 't', round: 'r', step: 's', text: 'Later', createdAt: 2 });
    addPoint(doc, { id: 'a', theme: 't', round: null, step: null, createdAt: 1 });
    expect(readPoints(doc)).toEqual([
      // Without an order of its own, a point is ordered by when it was made.
      { id: 'a', text: '', theme: 't', createdAt: 1, round: null, step: null, hidden: false, order: 1, mergedInto: null, trail: null, origin: null },
      { id: 'b', text: 'Later', theme: 't', createdAt: 2, round: 'r', step: 's', hidden: false, order: 2, mergedInto: null, trail: null, origin: null },
    ]);
    // Without round or step the keys are simply absent.
    expect([...pointsMap(doc).get('a')!.keys()].sort()).toEqual(['createdAt', 'text', 'theme']);
  });

  it('visiblePoints leaves out empty and hidden points', () => {
    const { doc, ids } = boardWith(3);
    pointText(pointsMap(doc).get(ids[0]!)!)!.delete(0, 100);
    hide(doc, ids[1]!);
    expect(readPoints(doc).map((p) => [p.id, p.hidden])).toEqual([
      ['p1', false],
      ['p2', true],
      ['p3', false],
    ]);
    expect(visiblePoints(doc).map((p) => p.id)).toEqual(['p3']);
  });
});

describe('readTop and toggleTop', () => {
  it('is empty for a round without a top', () => {
    const { doc } = boardWith(2);
    expect(readTop(doc, ROUND)).toEqual([]);
    expect(readTop(doc, 'other-round')).toEqual([]);
  });

  it('adds points in order, at most three, and takes them out again', () => {
    const { doc, ids } = boardWith(5);
    for (const id of ids) toggleTop(doc, ROUND, id);
    expect(TOP_SIZE).toBe(3);
    expect(readTop(doc, ROUND)).toEqual(['p1', 'p2', 'p3']);
    toggleTop(doc, ROUND, 'p2');
    expect(readTop(doc, ROUND)).toEqual(['p1', 'p3']);
    toggleTop(doc, ROUND, 'p5');
    expect(readTop(doc, ROUND)).toEqual(['p1', 'p3', 'p5']);
    // Full: a fourth is not added.
    toggleTop(doc, ROUND, 'p4');
    expect(readTop(doc, ROUND)).toEqual(['p1', 'p3', 'p5']);
  });

  it('keeps a top per round', () => {
    const { doc } = boardWith(3);
    toggleTop(doc, 'r1', 'p1');
    toggleTop(doc, 'r2', 'p2');
    expect(readTop(doc, 'r1')).toEqual(['p1']);
    expect(readTop(doc, 'r2')).toEqual(['p2']);
  });

  it('drops hidden, emptied and deleted points, which frees their place', () => {
    const { doc, ids } = boardWith(6);
    for (const id of ids.slice(0, 3)) toggleTop(doc, ROUND, id);
    hide(doc, 'p1');
    expect(readTop(doc, ROUND)).toEqual(['p2', 'p3']);
    toggleTop(doc, ROUND, 'p4');
    expect(readTop(doc, ROUND)).toEqual(['p2', 'p3', 'p4']);
    pointsMap(doc).delete('p2');
    const text = pointText(pointsMap(doc).get('p3')!)!;
    text.delete(0, text.length);
    expect(readTop(doc, ROUND)).toEqual(['p4']);
    // Unhiding brings a point back only if it is still in the list.
    pointsMap(doc).get('p1')!.set('hidden', false);
    expect(readTop(doc, ROUND)).toEqual(['p4']);
  });

  it('ignores doubled ids and junk in the list', () => {
    const { doc } = boardWith(3);
    const list = new Y.Array<unknown>();
    topMap(doc).set(ROUND, list as Y.Array<string>);
    list.push(['p2', 'p2', 42, 'nope', 'p1', 'p3', 'p1']);
    expect(readTop(doc, ROUND)).toEqual(['p2', 'p1', 'p3']);
    // Taking a point out removes every copy of it; adding one rewrites the list cleanly.
    toggleTop(doc, ROUND, 'p1');
    expect(readTop(doc, ROUND)).toEqual(['p2', 'p3']);
    toggleTop(doc, ROUND, 'p1');
    expect(topMap(doc).get(ROUND)!.toArray()).toEqual(['p2', 'p3', 'p1']);
  });

  it('concurrent toggles on two tablets converge and keep at most three distinct points', () => {
    // With an existing list on both sides...
    {
      const { a, b } = twoReplicas(6);
      toggleTop(a, ROUND, 'p1');
      sync(a, b);
      toggleTop(a, ROUND, 'p2');
      toggleTop(a, ROUND, 'p3');
      toggleTop(b, ROUND, 'p4');
      toggleTop(b, ROUND, 'p5');
      toggleTop(b, ROUND, 'p1'); // b takes out what a keeps
      sync(a, b);
      expect(readTop(a, ROUND)).toEqual(readTop(b, ROUND));
      expect(readTop(a, ROUND).length).toBeLessThanOrEqual(TOP_SIZE);
      expect(new Set(readTop(a, ROUND)).size).toBe(readTop(a, ROUND).length);
    }
    // ...and with both creating the list at the same time.
    {
      const { a, b } = twoReplicas(6);
      for (const id of ['p1', 'p2', 'p3']) toggleTop(a, ROUND, id);
      for (const id of ['p4', 'p5', 'p6']) toggleTop(b, ROUND, id);
      sync(a, b);
      const top = readTop(a, ROUND);
      expect(readTop(b, ROUND)).toEqual(top);
      expect([
        ['p1', 'p2', 'p3'],
        ['p4', 'p5', 'p6'],
      ]).toContainEqual(top);
    }
  });

  it('converges for random concurrent toggles and hides on three tablets (seeded)', () => {
    for (const seed of [1, 7, 42, 2024, 31337]) {
      const rnd = seededRandom(seed);
      const { doc: first, ids } = boardWith(7, 10);
      const docs = [first, new Y.Doc(), new Y.Doc()];
      docs[1]!.clientID = 11;
      docs[2]!.clientID = 12;
      sync(...docs);
      for (let i = 0; i < 60; i++) {
        const doc = docs[Math.floor(rnd() * docs.length)]!;
        const id = ids[Math.floor(rnd() * ids.length)]!;
        if (rnd() < 0.1) hide(doc, id);
        else toggleTop(doc, ROUND, id);
        if (rnd() < 0.3) sync(doc, docs[Math.floor(rnd() * docs.length)]!);
        for (const d of docs) expect(readTop(d, ROUND).length).toBeLessThanOrEqual(TOP_SIZE);
      }
      sync(...docs);
      sync(...docs);
      const top = readTop(docs[0]!, ROUND);
      for (const d of docs) expect(readTop(d, ROUND), `seed ${seed}`).toEqual(top);
      expect(new Set(top).size).toBe(top.length);
      const visible = new Set(visiblePoints(docs[0]!).map((p) => p.id));
      for (const id of top) expect(visible.has(id)).toBe(true);
    }
  });
});

describe('merging duplicates', () => {
  it('shows a merged point once, under the point it joined, with its own text kept', () => {
    const { doc, ids } = boardWith(3);
    mergePoint(doc, ids[2]!, ids[0]!, { by: 'hand', step: null });
    const visible = visiblePoints(doc);
    expect(visible.map((p) => p.id)).toEqual([ids[0], ids[1]]);
    expect(visible[0]!.merged.map((p) => p.id)).toEqual([ids[2]]);
    expect(visible[0]!.merged[0]!.text).toBe(pointText(pointsMap(doc).get(ids[2]!)!)!.toJSON());
    unmergePoint(doc, ids[2]!);
    expect(visiblePoints(doc).map((p) => p.id)).toEqual(ids);
  });

  it('follows chains of merges to the point that stands on its own', () => {
    const { doc, ids } = boardWith(3);
    mergePoint(doc, ids[2]!, ids[1]!, { by: 'hand', step: null });
    mergePoint(doc, ids[1]!, ids[0]!, { by: 'hand', step: null });
    const [only, ...rest] = visiblePoints(doc);
    expect(rest).toEqual([]);
    expect(only!.merged.map((p) => p.id).sort()).toEqual([ids[1], ids[2]].sort());
  });

  it('treats a merge into a missing point, or a circle of merges, as no merge at all', () => {
    const { doc, ids } = boardWith(2);
    pointsMap(doc).get(ids[0]!)!.set('mergedInto', 'gone');
    mergePoint(doc, ids[1]!, ids[1]!, { by: 'hand', step: null }); // into itself: ignored
    expect(visiblePoints(doc).map((p) => p.id)).toEqual(ids);
    const byId = new Map(readPoints(doc).map((p) => [p.id, p]));
    pointsMap(doc).get(ids[0]!)!.set('mergedInto', ids[1]!);
    pointsMap(doc).get(ids[1]!)!.set('mergedInto', ids[0]!);
    const circle = new Map(readPoints(doc).map((p) => [p.id, p]));
    expect(mergeRoot(circle, circle.get(ids[0]!)!)).toBeNull();
    expect(byId.size).toBe(2);
  });
});

describe('order within a theme', () => {
  it('moves a point up and down between its neighbours', () => {
    const { doc, ids } = boardWith(3);
    const order = () => readPoints(doc).map((p) => p.id);
    movePoint(doc, readPoints(doc), ids[2]!, -1);
    expect(order()).toEqual([ids[0], ids[2], ids[1]]);
    movePoint(doc, readPoints(doc), ids[2]!, -1);
    expect(order()).toEqual([ids[2], ids[0], ids[1]]);
    movePoint(doc, readPoints(doc), ids[2]!, -1); // already first: stays
    expect(order()).toEqual([ids[2], ids[0], ids[1]]);
    movePoint(doc, readPoints(doc), ids[0]!, 1);
    expect(order()).toEqual([ids[2], ids[1], ids[0]]);
  });

  it('keeps two tablets in the same order after concurrent moves', () => {
    const { a, b, ids } = twoReplicas(4);
    movePoint(a, readPoints(a), ids[3]!, -1);
    movePoint(b, readPoints(b), ids[0]!, 1);
    sync(a, b);
    expect(readPoints(a).map((p) => p.id)).toEqual(readPoints(b).map((p) => p.id));
  });
});
