/** Gathers a session's data from storage and builds its report model. */
import type { Report } from '../shared/report.js';
import { buildReport } from './domain/report.js';
import { readBoardForReport } from './domain/reportBoard.js';
import { reportVote } from './domain/reportVotes.js';
import { readReportEdits } from './reportEdits.js';
import { readReportNotes } from './reportNotes.js';
import type { Services } from './services.js';
import { plenaryDocName, tableDocName } from './yjs/docNames.js';
import { mergesOf } from '../shared/board.js';

export function sessionReport(services: Services, sessionId: string, now = Date.now()): Report {
  const { sessions, devices, votes, events } = services;
  const session = sessions.require(sessionId);
  const roundIds = session.agenda.rounds.map((r) => r.id);
  const boards = new Map(
    Array.from({ length: session.tables }, (_, i) => i + 1).map((table) => [
      table,
      services.store.read(tableDocName(sessionId, table), (doc) => readBoardForReport(doc, roundIds)),
    ]),
  );
  const log = events.list(sessionId);
  // Votes do not keep their step yet; the log of their opening does.
  const stepOfVote = new Map(
    log.flatMap((e) => (e.type === 'vote.opened' && e.data.voteId !== undefined ? [[e.data.voteId, e.data.stepId ?? null] as const] : [])),
  );
  const joinedNow = devices.countJoined(sessionId);
  return buildReport({
    session,
    boards,
    devicesByTable: devices.countByTable(sessionId),
    plenary: services.plenary.view(session),
    plenaryMerges: services.store.read(plenaryDocName(sessionId), mergesOf),
    votes: votes.list(sessionId).map((vote) =>
      reportVote(vote, votes.count(vote), {
        stepId: stepOfVote.get(vote.id) ?? null,
        agenda: session.agenda,
        joinedNow,
        votersByTable: votes.votersByTable(vote.id),
        breakdown: votes.breakdown(vote),
      }),
    ),
    evaluations: services.evaluations.summaries(sessionId),
    notes: readReportNotes(services.db, sessionId),
    edits: readReportEdits(services.db, sessionId),
    events: log,
    now,
  });
}
