/**
 * The plenary board on the server: harvesting table points into it, and reading it for the
 * projector, the plenary vote and the report. The facilitator edits it directly over Yjs.
 */
import { nanoid } from 'nanoid';
import { findStep } from '../shared/agenda.js';
import { readTop, visiblePoints, type VisiblePoint } from '../shared/board.js';
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

  /** Every table's chosen top points of the current round (or the last round, once ended). */
  harvestTops(session: Session): PlenaryHarvestResult {
    const round = this.round(session);
    const picked: { table: number; point: VisiblePoint }[] = [];
    const withoutTop: number[] = [];
    for (let table = 1; table <= session.tables; table++) {
      this.store.read(tableDocName(session.id, table), (doc) => {
        const points = visiblePoints(doc).filter((p) => p.round === round);
        const top = readTop(doc, round);
        if (top.length === 0 && points.length > 0) withoutTop.push(table);
        for (const id of top) {
          const point = points.find((p) => p.id === id);
          if (point) picked.push({ table, point });
        }
      });
    }
    return { added: this.add(session, round, picked), withoutTop };
  }

  /** Points the facilitator picked from one table's board. */
  harvestPicked(session: Session, table: number, pointIds: readonly string[]): PlenaryHarvestResult {
    const wanted = new Set(pointIds);
    const points = this.store.read(tableDocName(session.id, table), visiblePoints).filter((p) => wanted.has(p.id));
    if (points.length === 0) throw new AppError('not_found', 'None of these points is on that table’s board');
    return { added: this.add(session, this.round(session), points.map((point) => ({ table, point }))), withoutTop: [] };
  }

  private round(session: Session): string {
    const at = findStep(session.agenda, session.run.stepId);
    const round = at?.round ?? (session.run.status === 'ended' ? session.agenda.rounds.at(-1) : undefined);
    if (!round) throw new AppError('not_started', 'Start the session first');
    return round.id;
  }

  private add(session: Session, round: string, picked: { table: number; point: VisiblePoint }[]): number {
    if (picked.length === 0) return 0;
    return this.store.change(plenaryDocName(session.id), (doc) => {
      seedPlenaryThemes(doc, session.themes);
      let added = 0;
      // One millisecond apart, so the board keeps the tables' order (table by table, top first).
      const base = Date.now();
      picked.forEach(({ table, point }, i) => {
        const origin = { table, round: point.round ?? round, point: point.id, count: countOf(point) };
        if (harvestPoint(doc, { id: nanoid(12), theme: point.theme, text: point.text.trim(), origin }, base + i)) added += 1;
      });
      return added;
    });
  }
}
