/**
 * The plenary board on the server: harvesting table points into it, and reading it for the
 * projector, the plenary vote and the report. The facilitator edits it directly over Yjs.
 */
import { nanoid } from 'nanoid';
import { findStep } from '../shared/agenda.js';
import type * as Y from 'yjs';
import { markNotSame, notSameMap, readNotSame, readPoints, readTop, visiblePoints, type VisiblePoint } from '../shared/board.js';
import { pairKey } from '../shared/similarity.js';
import { harvestPoint, plenaryView, seedPlenaryThemes, type PlenaryView } from '../shared/plenary.js';
import type { PlenaryHarvestResult } from '../shared/protocol.js';
import { AppError } from './errors.js';
import type { Session } from './sessions.js';
import { plenaryDocName, tableDocName } from './yjs/docNames.js';
import type { DocStore } from './yjs/docStore.js';

const countOf = (p: VisiblePoint) => 1 + p.merged.length;

export class Plenary {
  constructor(private readonly store: DocStore) {}

  view(session: Session): PlenaryView {
    return this.store.read(plenaryDocName(session.id), (doc) => plenaryView(doc, session.themes));
  }

  /**
   * 'tops': every table's chosen top points of every round so far, round by round (a table
   * without a top 3 in a round where it wrote points is named in `withoutTop`). 'all': every
   * point of the latest round (up to now) in which each table wrote anything. Feedback usually
   * comes in a plenary round of its own, after the rounds at the tables.
   */
  harvestTables(session: Session, what: 'tops' | 'all'): PlenaryHarvestResult {
    const rounds = this.roundsSoFar(session);
    const picked: { round: number; table: number; point: VisiblePoint }[] = [];
    const withoutTop = new Set<number>();
    for (let table = 1; table <= session.tables; table++) {
      this.store.read(tableDocName(session.id, table), (doc) => {
        const all = visiblePoints(doc);
        for (let r = rounds.length - 1; r >= 0; r--) {
          const points = all.filter((p) => p.round === rounds[r]);
          if (points.length === 0) continue;
          if (what === 'all') {
            for (const point of points) picked.push({ round: r, table, point });
            return;
          }
          const top = readTop(doc, rounds[r]!);
          if (top.length === 0) withoutTop.add(table);
          for (const id of top) picked.push({ round: r, table, point: points.find((p) => p.id === id)! });
        }
      });
    }
    // Round by round, and within a round table by table, top first.
    picked.sort((a, b) => a.round - b.round || a.table - b.table);
    return { added: this.add(session, picked), withoutTop: [...withoutTop].sort((a, b) => a - b) };
  }

  /** Points the facilitator picked from one table's board. */
  harvestPicked(session: Session, table: number, pointIds: readonly string[]): PlenaryHarvestResult {
    const wanted = new Set(pointIds);
    const points = this.store.read(tableDocName(session.id, table), visiblePoints).filter((p) => wanted.has(p.id));
    if (points.length === 0) throw new AppError('not_found', 'None of these points is on that table’s board');
    return {
      added: this.add(
        session,
        points.map((point) => ({ table, point })),
      ),
      withoutTop: [],
    };
  }

  /** Round ids from the first up to the current one (all of them once the session ended). */
  private roundsSoFar(session: Session): string[] {
    if (session.run.status === 'lobby') throw new AppError('not_started', 'Start the session first');
    const at = findStep(session.agenda, session.run.stepId);
    const last = session.run.status === 'ended' ? session.agenda.rounds.length - 1 : (at?.roundIndex ?? -1);
    return session.agenda.rounds.slice(0, last + 1).map((r) => r.id);
  }

  private add(session: Session, picked: { table: number; point: VisiblePoint }[]): number {
    if (picked.length === 0) return 0;
    // What the tables said is not the same stays said: the pairs are carried to the plenary board.
    const notSame = new Map<number, [string, unknown][]>();
    for (const table of new Set(picked.map((p) => p.table))) {
      notSame.set(
        table,
        this.store.read(tableDocName(session.id, table), (doc) => [...notSameMap(doc).entries()]),
      );
    }
    return this.store.change(plenaryDocName(session.id), (doc) => {
      seedPlenaryThemes(doc, session.themes);
      let added = 0;
      // One millisecond apart, so the board keeps the tables' order (table by table, top first).
      const base = Date.now();
      picked.forEach(({ table, point }, i) => {
        const origin = { table, round: point.round, point: point.id, count: countOf(point) };
        if (harvestPoint(doc, { id: nanoid(12), theme: point.theme, text: point.text.trim(), origin }, base + i)) added += 1;
      });
      carryNotSame(doc, notSame);
      return added;
    });
  }
}

/**
 * A table's dismissed pairs, as pairs of the plenary points harvested from them (once both are
 * there), so the facilitator is not asked again what the table already decided.
 */
function carryNotSame(doc: Y.Doc, byTable: ReadonlyMap<number, [string, unknown][]>): void {
  const harvested = new Map<string, string>();
  for (const p of readPoints(doc)) if (p.origin) harvested.set(`${p.origin.table}:${p.origin.point}`, p.id);
  const have = readNotSame(doc);
  for (const [table, pairs] of byTable) {
    for (const [key, value] of pairs) {
      const [a, b] = key.split('|');
      const pa = harvested.get(`${table}:${a}`);
      const pb = harvested.get(`${table}:${b}`);
      if (!pa || !pb || have.has(pairKey(pa, pb))) continue;
      const step =
        typeof value === 'object' && value !== null && typeof (value as { step?: unknown }).step === 'string' ? (value as { step: string }).step : null;
      markNotSame(doc, pairKey(pa, pb), step);
    }
  }
}
