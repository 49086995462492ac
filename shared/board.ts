/**
 * The shape of a table's shared board: one Y.Doc per table, edited by that table's tablets.
 *
 *   doc.getMap('points'): pointId -> Y.Map {
 *     text: Y.Text       the point itself, edited character by character
 *     theme: string      id of the theme it is clustered under
 *     createdAt: number  ms since epoch, on the device that made it (for a stable order)
 *     round: string      id of the agenda round in which it was made
 *     step: string       id of the agenda step in which it was made
 *     hidden?: boolean   hidden by the table host (only a host may set it; the server checks)
 *     order?: number     place within its theme (lower first); without it, createdAt
 *     mergedInto?: string id of the point this duplicate was merged into; it stays in the
 *                        document with its own text and origin, and shows under that point
 *     mergedBy?: 'suggestion' | 'hand'   how the merge came about (for the report's trail)
 *     mergedStep?: string  id of the agenda step in which it was merged
 *     origin?: { table, round, point, count }  only on the plenary board (see plenary.ts):
 *                        the table point it was harvested from, and how often that table wrote it
 *   }
 *   doc.getMap('top'): roundId -> Y.Array<pointId>   the table's own top 3 for that round
 *   doc.getMap('notSame'): pairKey -> { at, step }  a suggested duplicate the table (or the
 *                        facilitator) said is not one: never suggested again (see similarity.ts)
 *   doc.getMap('clusters'): clusterId -> Y.Map {    a sub-theme the table added
 *     label: string      its name (after creation only the table host may change it)
 *     theme: string      the session theme it belongs under
 *     round: string      the round in which it was made
 *     createdAt: number
 *   }
 * A point's `theme` is either a session theme id or a cluster id.
 *
 * Both the tablets and the server (which snapshots points for votes, the projector and the
 * report) read the document through these helpers, so the shape lives in one place.
 */
import * as Y from 'yjs';

export const POINTS_KEY = 'points';
export const TOP_KEY = 'top';
export const CLUSTERS_KEY = 'clusters';
export const NOT_SAME_KEY = 'notSame';
export const CLUSTER_LABEL_LENGTH = 60;
export const TOP_SIZE = 3;

/** Where a plenary point came from: a table's point in a round, written `count` times there. */
export interface PointOrigin {
  table: number;
  round: string | null;
  point: string;
  count: number;
}

export interface PointData {
  id: string;
  text: string;
  theme: string;
  createdAt: number;
  round: string | null;
  step: string | null;
  hidden: boolean;
  order: number;
  mergedInto: string | null;
  /** How and in which step it was merged; null for a point standing on its own (or merged before trails were kept). */
  trail: MergeTrail | null;
  origin: PointOrigin | null;
}

/** How a merge came about: a suggestion accepted, or by hand; and in which agenda step. */
export interface MergeTrail {
  by: MergeHow;
  step: string | null;
}
export type MergeHow = 'suggestion' | 'hand';

export function pointsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(POINTS_KEY);
}

export function topMap(doc: Y.Doc): Y.Map<Y.Array<string>> {
  return doc.getMap<Y.Array<string>>(TOP_KEY);
}

export interface NewPoint {
  id: string;
  theme: string;
  round: string | null;
  step: string | null;
  text?: string;
  createdAt?: number;
}

export function addPoint(doc: Y.Doc, p: NewPoint): Y.Map<unknown> {
  const point = new Y.Map<unknown>();
  doc.transact(() => {
    point.set('text', new Y.Text(p.text ?? ''));
    point.set('theme', p.theme);
    point.set('createdAt', p.createdAt ?? Date.now());
    if (p.round) point.set('round', p.round);
    if (p.step) point.set('step', p.step);
    pointsMap(doc).set(p.id, point);
  });
  return point;
}

export function pointText(point: Y.Map<unknown>): Y.Text | null {
  const text = point.get('text');
  return text instanceof Y.Text ? text : null;
}

export function readPoint(id: string, point: Y.Map<unknown>): PointData | null {
  const text = pointText(point);
  const theme = point.get('theme');
  if (!text || typeof theme !== 'string') return null;
  const createdAt = point.get('createdAt');
  const round = point.get('round');
  const step = point.get('step');
  return {
    id,
    text: text.toJSON(), // the text as a string (yjs's typings lack Y.Text's toString)
    theme,
    createdAt: typeof createdAt === 'number' ? createdAt : 0,
    round: typeof round === 'string' ? round : null,
    step: typeof step === 'string' ? step : null,
    hidden: point.get('hidden') === true,
    order: typeof point.get('order') === 'number' ? (point.get('order') as number) : typeof createdAt === 'number' ? createdAt : 0,
    mergedInto: typeof point.get('mergedInto') === 'string' ? (point.get('mergedInto') as string) : null,
    trail: readTrail(point),
    origin: readOrigin(point.get('origin')),
  };
}

function readTrail(point: Y.Map<unknown>): MergeTrail | null {
  if (typeof point.get('mergedInto') !== 'string') return null;
  const by = point.get('mergedBy');
  const step = point.get('mergedStep');
  if (by !== 'suggestion' && by !== 'hand') return null;
  return { by, step: typeof step === 'string' ? step : null };
}

function readOrigin(value: unknown): PointOrigin | null {
  if (typeof value !== 'object' || value === null) return null;
  const o = value as Record<string, unknown>;
  if (typeof o.table !== 'number' || typeof o.point !== 'string') return null;
  return {
    table: o.table,
    round: typeof o.round === 'string' ? o.round : null,
    point: o.point,
    count: typeof o.count === 'number' && o.count >= 1 ? Math.floor(o.count) : 1,
  };
}

/** All well-formed points, oldest first (ties broken by id so every peer sees the same order). */
export function readPoints(doc: Y.Doc): PointData[] {
  const out: PointData[] = [];
  pointsMap(doc).forEach((point, id) => {
    if (!(point instanceof Y.Map)) return;
    const data = readPoint(id, point);
    if (data) out.push(data);
  });
  return out.sort((a, b) => a.order - b.order || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The point a duplicate ended up in, following merges (a merged point may itself be merged
 * later). Null when the point stands on its own, or when a merge points nowhere or in a circle.
 */
export function mergeRoot(byId: ReadonlyMap<string, PointData>, point: PointData): string | null {
  let id = point.mergedInto;
  const seen = new Set([point.id]);
  while (id !== null) {
    const next = byId.get(id);
    if (!next || seen.has(id)) return null;
    if (next.mergedInto === null) return id;
    seen.add(id);
    id = next.mergedInto;
  }
  return null;
}

export interface ClusterData {
  id: string;
  label: string;
  theme: string;
  round: string | null;
  createdAt: number;
}

export function clustersMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(CLUSTERS_KEY);
}

export function readClusters(doc: Y.Doc): ClusterData[] {
  const out: ClusterData[] = [];
  clustersMap(doc).forEach((c, id) => {
    if (!(c instanceof Y.Map)) return;
    const label = c.get('label');
    const theme = c.get('theme');
    if (typeof label !== 'string' || typeof theme !== 'string') return;
    const round = c.get('round');
    const createdAt = c.get('createdAt');
    out.push({ id, label, theme, round: typeof round === 'string' ? round : null, createdAt: typeof createdAt === 'number' ? createdAt : 0 });
  });
  return out.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

export function addCluster(doc: Y.Doc, c: { id: string; theme: string; round: string | null; label: string; createdAt?: number }): void {
  const cluster = new Y.Map<unknown>();
  doc.transact(() => {
    cluster.set('label', c.label.slice(0, CLUSTER_LABEL_LENGTH));
    cluster.set('theme', c.theme);
    if (c.round) cluster.set('round', c.round);
    cluster.set('createdAt', c.createdAt ?? Date.now());
    clustersMap(doc).set(c.id, cluster);
  });
}

export function renameCluster(doc: Y.Doc, id: string, label: string): void {
  clustersMap(doc).get(id)?.set('label', label.slice(0, CLUSTER_LABEL_LENGTH));
}

/** A point as the room sees it: under its session theme, with its sub-theme and merged duplicates. */
export interface VisiblePoint extends PointData {
  merged: PointData[];
  /** The sub-theme's label when the point sits in one; `theme` is then that sub-theme's theme. */
  cluster: string | null;
}

/**
 * Points that count: written, not hidden by the host, and not merged into another; each with
 * the written duplicates merged into it.
 */
export function visiblePoints(doc: Y.Doc): VisiblePoint[] {
  const all = readPoints(doc);
  const byId = new Map(all.map((p) => [p.id, p]));
  const merged = new Map<string, PointData[]>();
  const standalone: PointData[] = [];
  for (const p of all) {
    if (p.hidden || p.text.trim() === '') continue;
    const root = mergeRoot(byId, p);
    if (root === null) standalone.push(p);
    else merged.set(root, [...(merged.get(root) ?? []), p]);
  }
  const clusters = new Map(readClusters(doc).map((c) => [c.id, c]));
  return standalone.map((p) => {
    const cluster = clusters.get(p.theme);
    return { ...p, theme: cluster?.theme ?? p.theme, cluster: cluster?.label ?? null, merged: merged.get(p.id) ?? [] };
  });
}

/** One merge as the report's trail lists it: no device, no person, only what, where and how. */
export interface MergeRecord {
  /** The point it was merged into, and the duplicate's own text. */
  point: string;
  merged: string;
  by: MergeHow | null;
  step: string | null;
  /** On the plenary board: the table the duplicate came from. */
  fromTable: number | null;
}

/** Every merge that still stands on a board, point by point in the board's order. */
export function mergesOf(doc: Y.Doc): MergeRecord[] {
  return mergeRecords(visiblePoints(doc));
}

/** The merges among points already read (see visiblePoints). */
export function mergeRecords(points: readonly VisiblePoint[]): MergeRecord[] {
  return points.flatMap((p) =>
    p.merged.map((m) => ({
      point: p.text.trim(),
      merged: m.text.trim(),
      by: m.trail?.by ?? null,
      step: m.trail?.step ?? null,
      fromTable: m.origin?.table ?? null,
    })),
  );
}

/** Merges a duplicate into another point; both keep their text and origin, and the merge its trail. */
export function mergePoint(doc: Y.Doc, duplicateId: string, intoId: string, trail: MergeTrail): void {
  if (duplicateId === intoId) return;
  const point = pointsMap(doc).get(duplicateId);
  if (!point) return;
  doc.transact(() => {
    point.set('mergedInto', intoId);
    point.set('mergedBy', trail.by);
    if (trail.step) point.set('mergedStep', trail.step);
    else point.delete('mergedStep');
  });
}

export function unmergePoint(doc: Y.Doc, id: string): void {
  const point = pointsMap(doc).get(id);
  if (!point) return;
  doc.transact(() => {
    point.delete('mergedInto');
    point.delete('mergedBy');
    point.delete('mergedStep');
  });
}

export function notSameMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(NOT_SAME_KEY);
}

/** Pairs said not to be duplicates (keys as similarity.ts's pairKey makes them). */
export function readNotSame(doc: Y.Doc): Set<string> {
  return new Set(notSameMap(doc).keys());
}

/** Remembers that two suggested points are not the same, so the pair is not suggested again. */
export function markNotSame(doc: Y.Doc, key: string, step: string | null, at = Date.now()): void {
  notSameMap(doc).set(key, { at, step });
}

/** Moves a point one place up or down among the given siblings (the points of its theme, in order). */
export function movePoint(doc: Y.Doc, siblings: readonly PointData[], id: string, by: -1 | 1): void {
  const i = siblings.findIndex((p) => p.id === id);
  const j = i + by;
  if (i < 0 || j < 0 || j >= siblings.length) return;
  // Between the neighbour it passes and the one after that, so concurrent moves stay ordered.
  const passed = siblings[j]!.order;
  const beyond = siblings[j + by]?.order;
  const order = beyond === undefined ? passed + by : (passed + beyond) / 2;
  pointsMap(doc).get(id)?.set('order', order);
}

/**
 * The table's top points for a round, in order: the first distinct ids of the round's list
 * that still name a visible point, at most three. Reading it this way keeps concurrent
 * edits from two tablets harmless (a doubled or removed id simply drops out).
 */
export function readTop(doc: Y.Doc, roundId: string): string[] {
  const list = topMap(doc).get(roundId);
  if (!(list instanceof Y.Array)) return [];
  return topOf(list.toArray(), new Set(visiblePoints(doc).map((p) => p.id)));
}

/** A round's top from its stored list (see readTop), given the ids of the visible points. */
export function topOf(list: readonly unknown[], visible: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const id of list) {
    if (typeof id === 'string' && visible.has(id) && !out.includes(id)) out.push(id);
    if (out.length === TOP_SIZE) break;
  }
  return out;
}

/** Every round's stored top list, as it is (topOf reads one). */
export function topLists(doc: Y.Doc): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const [round, list] of topMap(doc).entries()) if (list instanceof Y.Array) out.set(round, list.toArray());
  return out;
}

/** Puts a point in the round's top (at the end) or takes it out. */
export function toggleTop(doc: Y.Doc, roundId: string, pointId: string): void {
  doc.transact(() => {
    const tops = topMap(doc);
    let list = tops.get(roundId);
    if (!(list instanceof Y.Array)) {
      list = new Y.Array<string>();
      tops.set(roundId, list);
    }
    const current = readTop(doc, roundId);
    if (current.includes(pointId)) {
      const items = list.toArray();
      for (let i = items.length - 1; i >= 0; i--) if (items[i] === pointId) list.delete(i, 1);
    } else if (current.length < TOP_SIZE) {
      // Rewrite the list as the clean order plus the new id, so stale entries do not pile up.
      list.delete(0, list.length);
      list.push([...current, pointId]);
    }
  });
}
