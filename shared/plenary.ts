/**
 * The plenary board: one Y.Doc per session (`<sessionId>/plenary`) that the facilitator fills in
 * terugkoppeling with the tables' top points, and edits in front of the room. It has the same
 * `points` and `clusters` maps as a table's board (see board.ts), so merging, ordering, hiding and
 * sub-themes work the same way, plus:
 *
 *   point.origin: { table, round, point, count }  the table point it was harvested from
 *                 (absent for a point the facilitator wrote in the plenary itself)
 *   doc.getMap('themes'): themeId -> Y.Map { label: string, order: number, mergedInto?: string }
 *                 the plenary's own themes, copied from the session's at the first harvest;
 *                 the facilitator renames them, adds one, or merges one into another (the
 *                 merged theme stays, marked, so points harvested later still find their place).
 *
 * Plenary points have no round: they belong to the whole session. The plenary vote and the
 * report read the board through `plenaryView`.
 */
import * as Y from 'yjs';
import { addPoint, clustersMap, pointsMap, readPoints, visiblePoints, type PointOrigin, type VisiblePoint } from './board.js';
import type { Theme } from './protocol.js';

export const PLENARY_THEMES_KEY = 'themes';
export const THEME_LABEL_LENGTH = 60;

export function plenaryThemesMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(PLENARY_THEMES_KEY);
}

/** The plenary's themes in order; the session's themes until the plenary has its own. */
export function readPlenaryThemes(doc: Y.Doc, sessionThemes: readonly Theme[]): Theme[] {
  const own: { id: string; label: string; order: number }[] = [];
  plenaryThemesMap(doc).forEach((t, id) => {
    if (!(t instanceof Y.Map)) return;
    const label = t.get('label');
    const order = t.get('order');
    if (typeof t.get('mergedInto') === 'string') return;
    if (typeof label === 'string') own.push({ id, label, order: typeof order === 'number' ? order : 0 });
  });
  if (own.length === 0) return [...sessionThemes];
  return own.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1)).map(({ id, label }) => ({ id, label }));
}

/** The theme a point under `id` belongs to now, following merges. */
export function resolvePlenaryTheme(doc: Y.Doc, id: string): string {
  const themes = plenaryThemesMap(doc);
  const seen = new Set<string>();
  let current = id;
  for (;;) {
    const next = themes.get(current)?.get('mergedInto');
    if (typeof next !== 'string' || seen.has(next)) return current;
    seen.add(current);
    current = next;
  }
}

/** Copies the session's themes into the plenary once, so they can be renamed and merged there. */
export function seedPlenaryThemes(doc: Y.Doc, sessionThemes: readonly Theme[]): void {
  const map = plenaryThemesMap(doc);
  if (map.size > 0) return;
  doc.transact(() => {
    sessionThemes.forEach((t, i) => {
      const theme = new Y.Map<unknown>();
      theme.set('label', t.label.slice(0, THEME_LABEL_LENGTH));
      theme.set('order', i);
      map.set(t.id, theme);
    });
  });
}

export function addPlenaryTheme(doc: Y.Doc, sessionThemes: readonly Theme[], id: string, label: string): void {
  doc.transact(() => {
    seedPlenaryThemes(doc, sessionThemes);
    const map = plenaryThemesMap(doc);
    let last = -1;
    map.forEach((t) => {
      const order = t.get('order');
      if (typeof order === 'number' && order > last) last = order;
    });
    const theme = new Y.Map<unknown>();
    theme.set('label', label.slice(0, THEME_LABEL_LENGTH));
    theme.set('order', last + 1);
    map.set(id, theme);
  });
}

export function renamePlenaryTheme(doc: Y.Doc, sessionThemes: readonly Theme[], id: string, label: string): void {
  doc.transact(() => {
    seedPlenaryThemes(doc, sessionThemes);
    plenaryThemesMap(doc).get(id)?.set('label', label.slice(0, THEME_LABEL_LENGTH));
  });
}

/**
 * Merges one theme into another: its points and sub-themes move over and the theme is marked
 * as merged, so a point harvested later under the old theme lands in the new one.
 */
export function mergePlenaryThemes(doc: Y.Doc, sessionThemes: readonly Theme[], fromId: string, intoId: string): void {
  if (fromId === intoId) return;
  doc.transact(() => {
    seedPlenaryThemes(doc, sessionThemes);
    const themes = plenaryThemesMap(doc);
    const from = themes.get(fromId);
    const into = themes.get(intoId);
    if (!from || !into || typeof from.get('mergedInto') === 'string' || typeof into.get('mergedInto') === 'string') return;
    pointsMap(doc).forEach((p) => {
      if (p instanceof Y.Map && p.get('theme') === fromId) p.set('theme', intoId);
    });
    clustersMap(doc).forEach((c) => {
      if (c instanceof Y.Map && c.get('theme') === fromId) c.set('theme', intoId);
    });
    from.set('mergedInto', intoId);
  });
}

export interface Harvest {
  id: string;
  theme: string;
  text: string;
  origin: PointOrigin;
}

/** Whether this table point is on the plenary board already (harvesting twice adds nothing). */
export function isHarvested(doc: Y.Doc, table: number, pointId: string): boolean {
  return readPoints(doc).some((p) => p.origin?.table === table && p.origin.point === pointId);
}

/** Puts a table's point on the plenary board, after the points already under its theme. */
export function harvestPoint(doc: Y.Doc, h: Harvest, now = Date.now()): boolean {
  if (isHarvested(doc, h.origin.table, h.origin.point)) return false;
  doc.transact(() => {
    const point = addPoint(doc, { id: h.id, theme: resolvePlenaryTheme(doc, h.theme), round: null, step: null, text: h.text, createdAt: now });
    point.set('origin', { ...h.origin });
  });
  return true;
}

export interface PlenaryPoint {
  id: string;
  theme: string;
  cluster: string | null;
  text: string;
  /** How often the room wrote it: each harvested table point counts with its own duplicates. */
  count: number;
  /** The tables it came from, ascending, each once; empty for a point written in the plenary. */
  tables: number[];
  /** The texts merged into it on the plenary board. */
  merged: string[];
}

export interface PlenaryView {
  themes: Theme[];
  points: PlenaryPoint[];
  /** Points the facilitator hid (left out above, counted here). */
  hidden: number;
}

/**
 * What came up at more than one table: the plenary points raised at two tables or more, the
 * most widely raised first (then by how often they were written, then in list order).
 */
export function converging<P extends Pick<PlenaryPoint, 'tables' | 'count'>>(points: readonly P[]): P[] {
  return points
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.tables.length > 1)
    .sort((a, b) => b.p.tables.length - a.p.tables.length || b.p.count - a.p.count || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * Puts the points of each theme (and sub-theme) in order of how many tables raised them, most
 * first; equal ones keep their order. One transaction, so every screen sees the new order at once.
 */
/** The tables a point came from, with the points merged into it: ascending, each once. */
function tablesOf(p: VisiblePoint): number[] {
  return [...new Set([p, ...p.merged].flatMap((x) => (x.origin ? [x.origin.table] : [])))].sort((a, b) => a - b);
}

export function sortByTables(doc: Y.Doc): void {
  const visible = new Map(visiblePoints(doc).map((p) => [p.id, p]));
  // Grouped by the stored theme, which is a plenary theme or a sub-theme: each keeps its own order.
  const groups = new Map<string, VisiblePoint[]>();
  for (const p of readPoints(doc)) {
    const v = visible.get(p.id);
    if (v) groups.set(p.theme, [...(groups.get(p.theme) ?? []), v]);
  }
  doc.transact(() => {
    for (const group of groups.values()) {
      const sorted = group.map((p, i) => ({ p, i, n: tablesOf(p).length })).sort((a, b) => b.n - a.n || a.i - b.i);
      sorted.forEach(({ p }, order) => pointsMap(doc).get(p.id)?.set('order', order));
    }
  });
}

export function plenaryView(doc: Y.Doc, sessionThemes: readonly Theme[]): PlenaryView {
  const themes = readPlenaryThemes(doc, sessionThemes);
  const known = new Set(themes.map((t) => t.id));
  const all = readPoints(doc);
  const points = visiblePoints(doc).map((p) => {
    const parts = [p, ...p.merged];
    const tables = tablesOf(p);
    const theme = resolvePlenaryTheme(doc, p.theme);
    return {
      id: p.id,
      theme: known.has(theme) ? theme : (themes[0]?.id ?? theme),
      cluster: p.cluster,
      text: p.text.trim(),
      count: parts.reduce((sum, x) => sum + (x.origin?.count ?? 1), 0),
      tables,
      merged: p.merged.map((m) => m.text.trim()),
    };
  });
  return { themes, points, hidden: all.filter((p) => p.hidden && p.text.trim() !== '').length };
}
