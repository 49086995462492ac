/**
 * Decides what a table update would change, so the server can refuse what a writer may not
 * do: add points outside a collecting step, or hide and show points without being the host.
 *
 * A refused change is undone rather than dropped: the server applies the update and then
 * reverts the forbidden part in a transaction of its own. Dropping it would leave a gap in the
 * sender's sequence of changes, and Yjs would hold back all its later edits as pending.
 *
 * Typing (the hot path) only inserts and deletes characters of a Y.Text; such updates are
 * recognised from their structs and the items they attach to, without copying the document.
 * Anything else is tried on a copy first.
 */
import * as Y from 'yjs';
import { CLUSTERS_KEY, POINTS_KEY } from '../../shared/board.js';

/** The plain values of a point, to put back a point that an update replaced. */
export interface PointSnapshot {
  text: string;
  values: Record<string, unknown>;
}

export interface UpdateEffects {
  /** Points the update creates, or replaces (then `previous` holds what was there). */
  newPoints: { id: string; step: string | null; previous: PointSnapshot | null }[];
  /** Points whose `hidden` flag the update sets or changes, with the value before. */
  hiddenChanges: { id: string; before: unknown }[];
  /** Sub-themes the update creates (a table may add them while it collects points). */
  newClusters: string[];
  /** Sub-themes it renames, with the label before (only the table host may). */
  clusterRenames: { id: string; before: unknown }[];
}

const NO_EFFECTS: UpdateEffects = { newPoints: [], hiddenChanges: [], newClusters: [], clusterRenames: [] };

const key = (id: Y.ID) => `${id.client}:${id.clock}`;

/** Whether a decoded item's parent, given by id, is a Y.Text of the document. */
function parentIsText(doc: Y.Doc, parent: unknown): boolean {
  if (typeof parent !== 'object' || parent === null || !('client' in parent)) return false; // a root name, or nothing
  try {
    const item = Y.getItem(doc.store, parent as Y.ID);
    return item instanceof Y.Item && item.content instanceof Y.ContentType && item.content.type instanceof Y.Text;
  } catch {
    return false;
  }
}

/**
 * Whether the item `start` is a character of a Y.Text: follows origins through this update's
 * own items until one is known in the document (or names its parent). Anything unclear, a
 * map key, or a loop in a hand-made update counts as "not text".
 */
function anchoredInText(doc: Y.Doc, start: Y.ID, inUpdate: Map<string, Y.Item>): boolean {
  const seen = new Set<string>();
  let id: Y.ID | null = start;
  while (id !== null) {
    if (seen.has(key(id))) return false;
    seen.add(key(id));
    const decoded = inUpdate.get(key(id));
    if (!decoded) {
      try {
        const item = Y.getItem(doc.store, id);
        return item instanceof Y.Item && item.parent instanceof Y.Text && item.parentSub === null;
      } catch {
        return false;
      }
    }
    if (decoded.parentSub !== null) return false;
    if (decoded.parent !== null) return parentIsText(doc, decoded.parent);
    id = decoded.origin ?? decoded.rightOrigin;
  }
  return false;
}

/** True when the update only types or deletes characters in existing texts. */
export function isPlainTyping(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs } = Y.decodeUpdate(update);
  const inUpdate = new Map<string, Y.Item>();
  for (const s of structs) if (s instanceof Y.Item) inUpdate.set(key(s.id), s);
  return structs.every((s) => {
    if (!(s instanceof Y.Item)) return true; // GC and skip structs carry no content
    if (!(s.content instanceof Y.ContentString || s.content instanceof Y.ContentDeleted)) return false;
    if (s.parentSub !== null) return false;
    if (s.parent !== null) return parentIsText(doc, s.parent);
    const anchor = s.origin ?? s.rightOrigin;
    return anchor !== null && anchoredInText(doc, anchor, inUpdate);
  });
}

function snapshot(point: Y.Map<unknown> | undefined): PointSnapshot | null {
  if (!(point instanceof Y.Map)) return null;
  const values: Record<string, unknown> = {};
  let text = '';
  point.forEach((value, key) => {
    if (value instanceof Y.Text) text = value.toString();
    else if (!(value instanceof Y.AbstractType)) values[key] = value;
  });
  return { text, values };
}

export function updateEffects(doc: Y.Doc, update: Uint8Array): UpdateEffects {
  if (isPlainTyping(doc, update)) return NO_EFFECTS;
  const before = doc.getMap<Y.Map<unknown>>(POINTS_KEY);
  const copy = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const points = copy.getMap<Y.Map<unknown>>(POINTS_KEY);
    const clusters = copy.getMap<Y.Map<unknown>>(CLUSTERS_KEY);
    const effects: UpdateEffects = { newPoints: [], hiddenChanges: [], newClusters: [], clusterRenames: [] };
    const watchClusters = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      for (const event of events) {
        if (event.target === clusters) {
          for (const [key, change] of (event as Y.YMapEvent<unknown>).changes.keys) {
            if (change.action === 'add') effects.newClusters.push(key);
            // Replacing a sub-theme renames it as far as the table can see.
            else if (change.action === 'update') effects.clusterRenames.push({ id: key, before: doc.getMap<Y.Map<unknown>>(CLUSTERS_KEY).get(key)?.get('label') });
          }
        } else if (event.target instanceof Y.Map && event.target.parent === clusters) {
          const change = (event as Y.YMapEvent<unknown>).changes.keys.get('label');
          const id = [...clusters.entries()].find(([, c]) => c === event.target)?.[0];
          if (change && id !== undefined) effects.clusterRenames.push({ id, before: change.oldValue });
        }
      }
    };
    clusters.observeDeep(watchClusters);
    const watch = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      for (const event of events) {
        if (event.target === points) {
          for (const [key, change] of (event as Y.YMapEvent<unknown>).changes.keys) {
            if (change.action === 'delete') continue;
            const point = points.get(key);
            const step = point instanceof Y.Map ? point.get('step') : undefined;
            const previous = change.action === 'update' ? snapshot(before.get(key)) : null;
            effects.newPoints.push({ id: key, step: typeof step === 'string' ? step : null, previous });
            // A new or replacing point that carries a hidden flag of its own hides or shows it too.
            const hidden = point instanceof Y.Map ? point.get('hidden') : undefined;
            if (hidden !== (previous?.values.hidden ?? undefined)) effects.hiddenChanges.push({ id: key, before: previous?.values.hidden });
          }
        } else if (event.target instanceof Y.Map && event.target.parent === points) {
          const change = (event as Y.YMapEvent<unknown>).changes.keys.get('hidden');
          const id = [...points.entries()].find(([, p]) => p === event.target)?.[0];
          if (change && id !== undefined) effects.hiddenChanges.push({ id, before: change.oldValue });
        }
      }
    };
    points.observeDeep(watch);
    Y.applyUpdate(copy, update);
    return effects;
  } finally {
    copy.destroy();
  }
}

/**
 * Brings an update that was just applied back within the limits: texts longer than allowed are
 * cut off, new points beyond the table's maximum are removed. Returns what it had to do.
 * `changed` are the types the update's transaction changed (new types are not among them,
 * so new points are checked through `effects`).
 */
export function enforceLimits(
  doc: Y.Doc,
  changed: Iterable<Y.AbstractType<unknown>>,
  effects: UpdateEffects,
  limits: { textLength: number; points: number },
): { textCut: boolean; pointsRemoved: boolean } {
  const points = doc.getMap<Y.Map<unknown>>(POINTS_KEY);
  const texts = new Set<Y.Text>();
  for (const type of changed) if (type instanceof Y.Text) texts.add(type);
  for (const p of effects.newPoints) {
    const text = points.get(p.id)?.get('text');
    if (text instanceof Y.Text) texts.add(text);
  }
  const tooLong = [...texts].filter((t) => t.length > limits.textLength);
  const added = effects.newPoints.filter((p) => !p.previous && points.has(p.id));
  const excess = Math.max(0, points.size - limits.points);
  const removed = added.slice(added.length - Math.min(excess, added.length));
  if (tooLong.length === 0 && removed.length === 0) return { textCut: false, pointsRemoved: false };
  doc.transact(() => {
    for (const t of tooLong) t.delete(limits.textLength, t.length - limits.textLength);
    for (const p of removed) points.delete(p.id);
  }, REVERT);
  return { textCut: tooLong.length > 0, pointsRemoved: removed.length > 0 };
}

/** Transaction origin of the server's own corrections. */
export const REVERT = Symbol('revert');

/** Undoes the refused part of an update that has just been applied to `doc`. */
export function revert(doc: Y.Doc, effects: UpdateEffects, what: { points: boolean; hidden: boolean; renames?: boolean }): void {
  const points = doc.getMap<Y.Map<unknown>>(POINTS_KEY);
  const clusters = doc.getMap<Y.Map<unknown>>(CLUSTERS_KEY);
  doc.transact(() => {
    if (what.points) for (const id of effects.newClusters) clusters.delete(id);
    if (what.renames) {
      for (const r of effects.clusterRenames) {
        const cluster = clusters.get(r.id);
        if (cluster instanceof Y.Map && typeof r.before === 'string') cluster.set('label', r.before);
      }
    }
    if (what.points) {
      for (const p of effects.newPoints) {
        if (!p.previous) {
          points.delete(p.id);
          continue;
        }
        // The replaced point's type is gone; put back a point with the same content.
        const restored = new Y.Map<unknown>();
        restored.set('text', new Y.Text(p.previous.text));
        for (const [key, value] of Object.entries(p.previous.values)) restored.set(key, value);
        points.set(p.id, restored);
      }
    }
    if (what.hidden) {
      const restoredIds = new Set(what.points ? effects.newPoints.map((p) => p.id) : []);
      for (const h of effects.hiddenChanges) {
        const point = points.get(h.id);
        if (!(point instanceof Y.Map) || restoredIds.has(h.id)) continue;
        if (h.before === undefined) point.delete('hidden');
        else point.set('hidden', h.before);
      }
    }
  }, REVERT);
}
