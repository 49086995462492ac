/**
 * What the report needs from one table's board, read from its Y.Doc: the points that count,
 * the hidden ones (only to count them), and the table's top 3 of each round.
 */
import type * as Y from 'yjs';
import { readPoints, readTop, visiblePoints, type VisiblePoint } from '../../shared/board.js';

export interface BoardForReport {
  visible: VisiblePoint[];
  /** Rounds of the written points a table host hid; one entry per point. */
  hiddenRounds: (string | null)[];
  /** Round id -> the table's chosen top point ids, in its order. */
  tops: Record<string, string[]>;
}

export function readBoardForReport(doc: Y.Doc, roundIds: readonly string[]): BoardForReport {
  const hiddenRounds = readPoints(doc)
    .filter((p) => p.hidden && p.text.trim() !== '')
    .map((p) => p.round);
  const tops: Record<string, string[]> = {};
  for (const round of roundIds) {
    const top = readTop(doc, round);
    if (top.length > 0) tops[round] = top;
  }
  return { visible: visiblePoints(doc), hiddenRounds, tops };
}
