/**
 * Reads what an update would do to a board (domain/boardRules.ts decides whether it may), and
 * undoes a refused update as a whole.
 *
 * A refused update is undone rather than dropped: the server applies it and then undoes it in
 * a transaction of its own (Yjs's UndoManager). Dropping it would leave a gap in the sender's
 * sequence of changes, and Yjs would hold back all its later edits as pending. What it brought
 * is then garbage-collected, so the stored document keeps none of its content.
 *
 * Typing (the hot path) only inserts and deletes characters of a Y.Text; such updates are
 * recognised from their structs and the items they attach to, without copying the document.
 * Anything else is tried on a copy first.
 */
import * as Y from 'yjs';
import { CLUSTERS_KEY, NOT_SAME_KEY, POINTS_KEY, TOP_KEY } from '../../shared/board.js';
import { PLENARY_THEMES_KEY } from '../../shared/plenary.js';
import type { BoardChange } from '../domain/boardRules.js';

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

/**
 * What the update's delete set removes that the document still has: 'nothing', 'characters'
 * (only characters of texts), or 'more'. A tablet's sync message repeats every deletion it
 * knows of; those the document already has change nothing.
 */
function newDeletions(doc: Y.Doc, ds: ReturnType<typeof Y.decodeUpdate>['ds']): 'nothing' | 'characters' | 'more' {
  let found: 'nothing' | 'characters' = 'nothing';
  for (const [client, ranges] of ds.clients) {
    const known = Y.getState(doc.store, client);
    for (const range of ranges) {
      // Beyond what the document has, it comes with this update, and its own struct is checked.
      for (let clock = range.clock; clock < Math.min(range.clock + range.len, known);) {
        const item = Y.getItem(doc.store, Y.createID(client, clock));
        clock = item.id.clock + item.length;
        if (item.deleted) continue;
        if (!(item instanceof Y.Item) || !(item.parent instanceof Y.Text) || item.parentSub !== null) return 'more';
        found = 'characters';
      }
    }
  }
  return found;
}

/**
 * 'nothing' when the update brings nothing the document lacks (a sync message repeating what
 * it has), 'typing' when it only types or deletes characters in existing texts, else null.
 */
export function typingOrNothing(doc: Y.Doc, update: Uint8Array): 'nothing' | 'typing' | null {
  const { structs, ds } = Y.decodeUpdate(update);
  const deletions = newDeletions(doc, ds);
  if (deletions === 'more') return null;
  const fresh = structs.filter((s) => s.id.clock + s.length > Y.getState(doc.store, s.id.client));
  if (fresh.length === 0) return deletions === 'nothing' ? 'nothing' : 'typing';
  const inUpdate = new Map<string, Y.Item>();
  for (const s of structs) if (s instanceof Y.Item) inUpdate.set(key(s.id), s);
  const typing = fresh.every((s) => {
    if (!(s instanceof Y.Item)) return true; // GC and skip structs carry no content
    if (!(s.content instanceof Y.ContentString || s.content instanceof Y.ContentDeleted)) return false;
    if (s.parentSub !== null) return false;
    if (s.parent !== null) return parentIsText(doc, s.parent);
    const anchor = s.origin ?? s.rightOrigin;
    return anchor !== null && anchoredInText(doc, anchor, inUpdate);
  });
  return typing ? 'typing' : null;
}

/** The fields a point may hold, and what each must be. */
const POINT_FIELDS: Record<string, (v: unknown, plenary: boolean) => boolean> = {
  text: (v) => v instanceof Y.Text,
  theme: (v) => typeof v === 'string' && v.length <= 64,
  createdAt: (v) => typeof v === 'number' && Number.isFinite(v),
  round: (v) => typeof v === 'string' && v.length <= 64,
  step: (v) => typeof v === 'string' && v.length <= 64,
  hidden: (v) => typeof v === 'boolean',
  order: (v) => typeof v === 'number' && Number.isFinite(v),
  mergedInto: (v) => typeof v === 'string' && v.length <= 64,
  mergedBy: (v) => v === 'suggestion' || v === 'hand',
  mergedStep: (v) => typeof v === 'string' && v.length <= 64,
  origin: (v, plenary) => plenary && typeof v === 'object' && v !== null && !(v instanceof Y.AbstractType),
};
const CLUSTER_FIELDS: Record<string, (v: unknown) => boolean> = {
  label: (v) => typeof v === 'string' && v.length <= 200,
  theme: (v) => typeof v === 'string' && v.length <= 64,
  round: (v) => typeof v === 'string' && v.length <= 64,
  createdAt: (v) => typeof v === 'number' && Number.isFinite(v),
};

/** What is wrong with a point as a whole, or null when it has the documented shape. */
function pointShape(value: unknown, plenary: boolean): string | null {
  if (!(value instanceof Y.Map)) return 'a point that is not a map';
  for (const [field, v] of value.entries()) {
    const ok = POINT_FIELDS[field];
    if (!ok || !ok(v, plenary)) return `a point with a bad "${field}"`;
  }
  return value.get('text') instanceof Y.Text && typeof value.get('theme') === 'string' ? null : 'a point without text or theme';
}

function clusterShape(value: unknown): string | null {
  if (!(value instanceof Y.Map)) return 'a sub-theme that is not a map';
  for (const [field, v] of value.entries()) {
    const ok = CLUSTER_FIELDS[field];
    if (!ok || !ok(v)) return `a sub-theme with a bad "${field}"`;
  }
  return typeof value.get('label') === 'string' && typeof value.get('theme') === 'string' ? null : 'a sub-theme without label or theme';
}

/** A pair said not to be the same: keyed by two point ids, holding when and in which step. */
function notSameShape(key: string, value: unknown): boolean {
  if (key.length > 129 || !key.includes('|')) return false;
  if (typeof value !== 'object' || value === null || value instanceof Y.AbstractType) return false;
  const v = value as Record<string, unknown>;
  return (
    Object.keys(v).every((k) => k === 'at' || k === 'step') &&
    typeof v.at === 'number' &&
    (v.step === null || (typeof v.step === 'string' && v.step.length <= 64))
  );
}

const hiddenOf = (value: unknown) => value instanceof Y.Map && value.get('hidden') !== undefined;

/** The name of a root type of `doc`, or null for a nested one. */
function rootName(doc: Y.Doc, type: Y.AbstractType<unknown>): string | null {
  if (type._item !== null) return null;
  for (const [name, root] of doc.share) if ((root as unknown) === type) return name;
  return null;
}

/**
 * Everything `update` would change in `doc`, as board changes. The document is left alone:
 * the update is tried on a copy.
 */
export function describeUpdate(doc: Y.Doc, update: Uint8Array, plenary: boolean): BoardChange[] {
  const quick = typingOrNothing(doc, update);
  if (quick === 'nothing') return [];
  if (quick === 'typing') return [{ kind: 'point.text' }];
  const copy = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const points = copy.getMap<unknown>(POINTS_KEY);
    const clusters = copy.getMap<unknown>(CLUSTERS_KEY);
    const top = copy.getMap<unknown>(TOP_KEY);
    const notSame = copy.getMap<unknown>(NOT_SAME_KEY);
    const themes = plenary ? copy.getMap<unknown>(PLENARY_THEMES_KEY) : null;
    const before = {
      points: doc.getMap<unknown>(POINTS_KEY),
      clusters: doc.getMap<unknown>(CLUSTERS_KEY),
    };
    // Yjs types its own maps with `any` events; they are read here as plain types.
    let changed = new Map<Y.AbstractType<unknown>, Set<string | null>>();
    const origin = Symbol('tried');
    copy.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.origin === origin) changed = tr.changed as unknown as Map<Y.AbstractType<unknown>, Set<string | null>>;
    });
    Y.applyUpdate(copy, update, origin);

    const out: BoardChange[] = [];
    for (const [type, keys] of changed) {
      if (type === points) {
        for (const key of keys) {
          if (key === null) continue;
          const was = before.points.get(key);
          const now = points.get(key);
          if (now === undefined) out.push({ kind: 'point.delete', id: key, hidden: hiddenOf(was) });
          else {
            const bad = pointShape(now, plenary);
            if (bad) out.push({ kind: 'shape', what: bad });
            else if (was === undefined) out.push({ kind: 'point.add', id: key, hidden: hiddenOf(now) });
            else out.push({ kind: 'point.replace', id: key, hidden: hiddenOf(was) || hiddenOf(now) });
          }
        }
      } else if (type === clusters) {
        for (const key of keys) {
          if (key === null) continue;
          const now = clusters.get(key);
          if (now === undefined) out.push({ kind: 'cluster.delete' });
          else {
            const bad = clusterShape(now);
            out.push(bad ? { kind: 'shape', what: bad } : before.clusters.get(key) === undefined ? { kind: 'cluster.add' } : { kind: 'cluster.label' });
          }
        }
      } else if (type === top) {
        const lists = [...keys].every((k) => k !== null && (top.get(k) === undefined || top.get(k) instanceof Y.Array));
        out.push(lists ? { kind: 'top' } : { kind: 'shape', what: 'a top 3 that is not a list' });
      } else if (type === notSame) {
        for (const key of keys) {
          if (key === null) continue;
          const value = notSame.get(key);
          out.push(value === undefined || notSameShape(key, value) ? { kind: 'notSame' } : { kind: 'shape', what: 'a pair of points with a bad shape' });
        }
      } else if (type instanceof Y.Array && type.parent === top) {
        out.push({ kind: 'top' });
      } else if (themes !== null && (type === themes || type.parent === themes)) {
        out.push({ kind: 'themes' });
      } else if (type instanceof Y.Map && type.parent === points) {
        for (const key of keys) {
          if (key === null) continue;
          const value: unknown = type.get(key);
          const ok = POINT_FIELDS[key];
          if (!ok || (value !== undefined && !ok(value, plenary)) || (value === undefined && (key === 'text' || key === 'theme'))) {
            out.push({ kind: 'shape', what: `a point with a bad "${key}"` });
          } else out.push(key === 'hidden' ? { kind: 'point.hidden' } : key === 'text' ? { kind: 'point.text' } : { kind: 'point.field', field: key });
        }
      } else if (type instanceof Y.Text && type.parent instanceof Y.Map && type.parent.parent === points) {
        out.push({ kind: 'point.text' });
      } else if (type instanceof Y.Map && type.parent === clusters) {
        for (const key of keys) {
          if (key === null) continue;
          const value: unknown = type.get(key);
          const ok = CLUSTER_FIELDS[key];
          if (!ok || value === undefined || !ok(value)) out.push({ kind: 'shape', what: `a sub-theme with a bad "${key}"` });
          else out.push(key === 'label' ? { kind: 'cluster.label' } : { kind: 'cluster.field', field: key });
        }
      } else {
        const root = rootName(copy, type as Y.AbstractType<unknown>);
        out.push({ kind: 'shape', what: root !== null ? `the unknown root "${root}"` : 'a change outside the documented shape' });
      }
    }
    return out;
  } finally {
    copy.destroy();
  }
}

/** Transaction origin of the server's own corrections. */
export const REVERT = Symbol('revert');

/**
 * Applies a refused update and undoes it at once, whole, then lets Yjs forget what it brought
 * (the sender keeps its sequence; the document keeps none of the content).
 */
export function applyAndUndo(doc: Y.Doc, update: Uint8Array, origin: unknown): void {
  const undo = new Y.UndoManager(doc, { trackedOrigins: new Set([origin]), captureTimeout: 0 });
  try {
    Y.applyUpdate(doc, update, origin);
    undo.undo();
  } finally {
    undo.clear();
    undo.destroy();
  }
  Y.tryGc(Y.createDeleteSetFromStructStore(doc.store), doc.store, () => true);
}

/**
 * Brings an update that was just applied back within the limits: texts longer than allowed are
 * cut off (at a whole character: a surrogate pair or an emoji with its modifiers stays whole),
 * new points beyond the table's maximum are removed. Returns what it had to do. `changed` are
 * the types the update's transaction changed; `added` the ids of the points it made.
 */
export function enforceLimits(
  doc: Y.Doc,
  changed: Iterable<Y.AbstractType<unknown>>,
  added: readonly string[],
  limits: { textLength: number; points: number },
): { textCut: boolean; pointsRemoved: boolean } {
  const points = doc.getMap<Y.Map<unknown>>(POINTS_KEY);
  const texts = new Set<Y.Text>();
  for (const type of changed) if (type instanceof Y.Text) texts.add(type);
  for (const id of added) {
    const point = points.get(id);
    const text = point instanceof Y.Map ? point.get('text') : undefined;
    if (text instanceof Y.Text) texts.add(text);
  }
  const tooLong = [...texts].filter((t) => t.length > limits.textLength);
  const fresh = added.filter((id) => points.has(id));
  const excess = Math.max(0, points.size - limits.points);
  const removed = fresh.slice(fresh.length - Math.min(excess, fresh.length));
  if (tooLong.length === 0 && removed.length === 0) return { textCut: false, pointsRemoved: false };
  doc.transact(() => {
    for (const t of tooLong) {
      const keep = wholeCharacters(t.toJSON(), limits.textLength);
      t.delete(keep, t.length - keep);
    }
    for (const id of removed) points.delete(id);
  }, REVERT);
  return { textCut: tooLong.length > 0, pointsRemoved: removed.length > 0 };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The longest prefix of `text`, in UTF-16 units, that ends between graphemes and fits `max`. */
export function wholeCharacters(text: string, max: number): number {
  let end = 0;
  for (const { index, segment } of graphemes.segment(text)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return end;
}
