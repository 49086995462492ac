/**
 * The shape of a table's shared board: one Y.Doc per table, edited by that table's tablets.
 *
 *   doc.getMap('points'): pointId -> Y.Map {
 *     text: Y.Text       the point itself, edited character by character
 *     theme: string      id of the theme it is clustered under
 *     createdAt: number  ms since epoch, on the device that made it (for a stable order)
 *   }
 *
 * Both the tablets and the server (which snapshots points for votes and the report) read the
 * document through these helpers, so the shape lives in one place.
 */
import * as Y from 'yjs';

export const POINTS_KEY = 'points';

export interface PointData {
  id: string;
  text: string;
  theme: string;
  createdAt: number;
}

export function pointsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(POINTS_KEY);
}

export function addPoint(doc: Y.Doc, id: string, theme: string, text = '', createdAt = Date.now()): Y.Map<unknown> {
  const point = new Y.Map<unknown>();
  doc.transact(() => {
    point.set('text', new Y.Text(text));
    point.set('theme', theme);
    point.set('createdAt', createdAt);
    pointsMap(doc).set(id, point);
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
  const createdAt = point.get('createdAt');
  if (!text || typeof theme !== 'string') return null;
  return { id, text: text.toString(), theme, createdAt: typeof createdAt === 'number' ? createdAt : 0 };
}

/** All well-formed points, oldest first (ties broken by id so every peer sees the same order). */
export function readPoints(doc: Y.Doc): PointData[] {
  const out: PointData[] = [];
  pointsMap(doc).forEach((point, id) => {
    if (!(point instanceof Y.Map)) return;
    const data = readPoint(id, point);
    if (data) out.push(data);
  });
  return out.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
