/** Gathers a session's data from storage and builds its report model. */
import { visiblePoints, type VisiblePoint } from '../shared/board.js';
import type { Report } from '../shared/report.js';
import { buildReport } from './domain/report.js';
import type { Services } from './services.js';
import { tableDocName } from './yjs/docNames.js';

export function sessionReport(services: Services, sessionId: string, now = Date.now()): Report {
  const { sessions, devices, votes } = services;
  const session = sessions.require(sessionId);
  const pointsByTable = new Map<number, VisiblePoint[]>();
  for (let table = 1; table <= session.tables; table++) pointsByTable.set(table, services.store.read(tableDocName(sessionId, table), visiblePoints));
  const joined = devices.countJoined(sessionId);
  return buildReport({
    session,
    themes: session.themes,
    pointsByTable,
    devicesByTable: devices.countByTable(sessionId),
    votes: votes.list(sessionId).map((vote) => {
      const count = votes.count(vote);
      return { ...vote, totals: count.totals, ballots: count.ballots, eligible: vote.eligibleAtClose ?? joined };
    }),
    evaluations: services.evaluations.summaries(sessionId),
    now,
  });
}
