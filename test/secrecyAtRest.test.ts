/**
 * Ballot secrecy at rest (docs/architecture.md, "Ballot secrecy at rest"). A forensic analyst
 * gets a copy of every file in the data dir, taken in the middle of a vote, after it closed,
 * and during and after an evaluation. The analyst knows the order in which the room voted (it
 * watched the room, or it guesses that devices vote in the order they joined) and reads the
 * files byte by byte (test/helpers/forensics.ts): for every ordering the files hold, it pairs
 * ballots with voters, seats and the same voter's ballot in another vote, and must do no
 * better than chance. A control shows the same analyst does find an order where one is kept.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOX_FILE, DB_FILE } from '../server/db.js';
import { Events } from '../shared/protocol.js';
import {
  addPointTo,
  closeClients,
  createSession,
  emitOk,
  facilitator,
  gotoStep,
  joinDevice,
  newBallotId,
  openVote,
  setSeats,
  startSession,
  submitBallot,
  tableProvider,
  waitForServerPoints,
  type Client,
  type DeviceClient,
} from './helpers/clients.js';
import { copyFiles, locate, orderings, pairedOff, rankCorrelation, type Files } from './helpers/forensics.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { sqliteDir } from './helpers/storage.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Three tables with twelve tablets each, and a fourth that shares one tablet among sixteen seats. */
const TABLETS_PER_TABLE = 12;
const SEATS = 16;
/**
 * What chance does: a random pairing gets one pair right on average, whatever the number of
 * records, and nine or more about once in a million tries. A rank correlation over n records
 * has a standard deviation of 1/√(n−1); five of them is about once in two million tries. The
 * analyst tries a few hundred orderings, so these bounds fail by chance about once in a
 * thousand runs, and an order kept in the files breaks them at once (see the control).
 */
const MAX_PAIRED = 8;
const maxCorrelation = (n: number) => Math.max(0.7, 5 / Math.sqrt(n - 1));

/** One voter of the room: a tablet, or a seat at the shared tablet. */
interface Voter {
  device: DeviceClient;
  seat?: number;
}

let server: TestServer;
let fac: Client;
let voters: Voter[] = [];
const items: string[] = [];
/** Copies of the data dir, by moment, with how many ballots each vote held then. */
const copies: Record<string, Files> = {};
const castAt: Record<string, Record<string, number>> = {};
const cast: Record<string, number> = {};
function copy(moment: string) {
  copies[moment] = copyFiles(sqliteDir(server.dataDir));
  castAt[moment] = { ...cast };
}
/** Ballot ids per vote, in voting order (index = voter). */
const ballots: Record<string, string[]> = {};
/** Evaluation response ids, in answering order (index = tablet). */
const responses: string[] = [];
const voteIds: string[] = [];
/** What the analyst found, printed with the test's output. */
const findings: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const s = await createSession(server, {
    tables: 4,
    agenda: {
      rounds: [
        {
          steps: [
            { type: 'inbreng', durationSec: 600 },
            { type: 'stemmen', durationSec: 300, vote: { method: 'dots', budget: 3, maxPerItem: 3 } },
            { type: 'evaluatie', durationSec: 300 },
          ],
        },
      ],
    },
  });
  fac = await facilitator(server, s);
  await startSession(fac);
  const tablets: DeviceClient[] = [];
  for (let table = 1; table <= 3; table++) for (let i = 0; i < TABLETS_PER_TABLE; i++) tablets.push(await joinDevice(server, s, table));
  const shared = await joinDevice(server, s, 4);
  for (let table = 1; table <= 4; table++) {
    const board = await tableProvider(server, s.id, table, { device: (table === 4 ? shared : tablets[(table - 1) * TABLETS_PER_TABLE])!.token });
    items.push(addPointTo(board, `Punt van tafel ${table}`), addPointTo(board, `Tweede punt van tafel ${table}`));
    await waitForServerPoints(server, s.id, table, 2);
  }
  await gotoStep(fac, 'stemmen');
  await setSeats(fac, 4, SEATS);
  // The room votes in the order it joined, the shared tablet's seats in between: an order that
  // would link every ballot if the files kept it.
  voters = tablets.map((device) => ({ device }));
  for (let seat = 1; seat <= SEATS; seat++) voters.splice(seat * 3, 0, { device: shared, seat });

  const vote = async (voteId: string, i: number, ballotId: string, item: number) => {
    const v = voters[i]!;
    expect(await submitBallot(v.device, voteId, ballotId, { [items[item % items.length]!]: 1 + (i % 3) }, v.seat)).toMatchObject({ ok: true });
    cast[voteId] = Math.max(cast[voteId] ?? 0, i + 1);
  };
  for (const [n, which] of ['first', 'second'].entries()) {
    const { id } = await openVote(fac, {});
    voteIds.push(id);
    ballots[id] = voters.map(() => newBallotId());
    for (let i = 0; i < voters.length; i++) {
      await vote(id, i, ballots[id][i]!, i + n);
      // Part way, and with everyone in; a few change their mind. (A vote's boxes are made for
      // twice the room when it opens; the evaluation's box grows, and reshuffles, on the way.)
      if (i === 19 || i === 29) copy(`${which} vote, ${i + 1} ballots in`);
    }
    for (const i of [2, 17, 40]) await vote(id, i, ballots[id][i]!, i + n + 1);
    copy(`${which} vote, all ballots in, still open`);
    await emitOk(fac.socket, Events.voteClose, { voteId: id });
    copy(`${which} vote closed`);
  }

  await emitOk(fac.socket, Events.stepNext, {});
  const answering = [...tablets, shared];
  for (const [i, d] of answering.entries()) {
    const responseId = newBallotId();
    responses.push(responseId);
    await emitOk(d.socket, Events.evaluationSubmit, { stepId: stepOf('evaluatie'), responseId, scores: { satisfied: 1 + (i % 5) }, remark: `Opmerking ${i}` });
    if (i === 24) copy('evaluation, 25 answers in');
  }
  copy('evaluation, all answers in');
  // Past the last step the session ends.
  await emitOk(fac.socket, Events.stepNext, {});
  copy('session ended');
}, 120_000);

afterAll(async () => {
  if (findings.length > 0) console.info(`What the analyst found (chance: about 1 pair right, |rho| about 1/√n):\n${findings.join('\n')}`);
  await closeClients();
  await server?.close();
});

function stepOf(type: string): string {
  const state = fac.lastSessionState()!;
  return state.agenda.rounds.flatMap((r) => r.steps).find((s) => s.type === type)!.id;
}

/**
 * Tries every ordering of the records in `file` against every reference ordering of their
 * owners, and checks that none does better than chance. Returns the best it did.
 */
function tryToLink(moment: string, what: string, file: Buffer, markers: string[], references: Record<string, number[]>) {
  const positions = markers.map((m) => locate(file, m));
  const found = positions.flatMap((p) => (p ? [p] : []));
  expect(found, `${moment}: every ${what} is in the ballot box`).toHaveLength(markers.length);
  let best = { paired: 0, rho: 0 };
  for (const [ordering, keys] of Object.entries(orderings(found))) {
    for (const [reference, ref] of Object.entries(references)) {
      const paired = pairedOff(keys, ref);
      const rho = rankCorrelation(keys, ref);
      const where = `${moment}: ${what} by ${ordering} against ${reference}`;
      expect(paired, `${where}: pairs right`).toBeLessThanOrEqual(MAX_PAIRED);
      expect(Math.abs(rho), `${where}: rank correlation`).toBeLessThan(maxCorrelation(markers.length));
      best = { paired: Math.max(best.paired, paired), rho: Math.max(best.rho, Math.abs(rho)) };
    }
  }
  findings.push(`  ${moment}, ${what}: at best ${best.paired} of ${markers.length} right, |rho| ${best.rho.toFixed(2)}`);
  return best;
}

/** How each voter's receipt can be found in the box file: its seat in clear, or its token's tag (quoted, as its slot holds it). */
const receiptMarkers = (voteId: string, cast: number) =>
  voters.slice(0, cast).map((v) => JSON.stringify(v.seat ? `seat:4:${v.seat}` : sha256(`voter\n${voteId}\n${v.device.token}`)));

/** Where each voter's receipt lies in the box file. */
function receiptPositions(file: Buffer, voteId: string, cast = voters.length): number[] {
  return receiptMarkers(voteId, cast).map((marker, i) => {
    const at = locate(file, marker);
    expect(at, `the receipt of ${voters[i]!.seat ? `seat ${voters[i]!.seat}` : 'a tablet'}`).not.toBeNull();
    return at!.byte;
  });
}

describe('a copy of the database files', () => {
  it('never holds a ballot or an answer outside the ballot box, nor a journal or WAL of the box between writes', () => {
    const markers = [...Object.values(ballots).flat(), ...responses];
    for (const [moment, files] of Object.entries(copies)) {
      expect(Object.keys(files), moment).toContain(BOX_FILE);
      for (const [name, bytes] of Object.entries(files)) {
        if (name === BOX_FILE) continue;
        // The box's journal exists only during a write, and is emptied after it.
        if (name.startsWith(BOX_FILE)) expect(bytes.length, `${moment}: ${name}`).toBe(0);
        const text = bytes.toString('latin1');
        for (const m of markers) expect(text.includes(m), `${moment}: ${name} holds a ballot or answer id`).toBe(false);
      }
    }
  });

  it('does not link ballots to the order of voting, to receipts or to seats: mid-vote, after close, at the end', () => {
    for (const [moment, files] of Object.entries(copies)) {
      const box = files[BOX_FILE]!;
      for (const [voteId, cast] of Object.entries(castAt[moment]!)) {
        const markers = ballots[voteId]!.slice(0, cast);
        const votingOrder = markers.map((_, i) => i);
        // The receipts say who voted (by a tag only the tablet can recompute), not when.
        tryToLink(moment, `receipts of the ${voteId === voteIds[0] ? 'first' : 'second'} vote`, box, receiptMarkers(voteId, cast), {
          'the order of voting': votingOrder,
        });
        const receipts = receiptPositions(box, voteId, cast);
        const seated = voters.slice(0, cast).flatMap((v, i) => (v.seat ? [i] : []));
        tryToLink(moment, `ballots of the ${voteId === voteIds[0] ? 'first' : 'second'} vote`, box, markers, {
          'the order of voting': votingOrder,
          'the order of the receipts in the file': receipts,
          'the order in which tablets joined': voters.slice(0, cast).map((v, i) => (v.seat ? 1000 + i : i)),
        });
        // Seats are in clear on their receipts; their ballots must not follow them.
        tryToLink(
          moment,
          'ballots of the shared tablet',
          box,
          seated.map((i) => markers[i]!),
          {
            'seat number': seated.map((i) => voters[i]!.seat!),
            'the order of the seat receipts in the file': seated.map((i) => receipts[i]!),
          },
        );
      }
    }
  });

  it("does not link one voter's ballots in two votes", () => {
    for (const moment of ['second vote, 30 ballots in', 'second vote closed', 'session ended']) {
      const box = copies[moment]![BOX_FILE]!;
      const cast = castAt[moment]![voteIds[1]!]!;
      const first = ballots[voteIds[0]!]!.slice(0, cast).map((m) => locate(box, m)!);
      for (const [ordering, keys] of Object.entries(orderings(first))) {
        tryToLink(moment, `second-vote ballots against first-vote ballots by ${ordering}`, box, ballots[voteIds[1]!]!.slice(0, cast), {
          [`first vote by ${ordering}`]: keys,
        });
      }
    }
  });

  it('does not link evaluation answers to the order of answering, during the step and after', () => {
    for (const moment of ['evaluation, 25 answers in', 'evaluation, all answers in', 'session ended']) {
      const cast = moment.includes('25') ? 25 : responses.length;
      tryToLink(moment, 'evaluation answers', copies[moment]![BOX_FILE]!, responses.slice(0, cast), {
        'the order of answering': responses.slice(0, cast).map((_, i) => i),
      });
    }
  });

  it('control: the same analyst finds the order where a file keeps it', () => {
    // A table like the one ballots had before the box: random keys, written in voting order.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-control-'));
    const db = new Database(path.join(dir, DB_FILE));
    db.exec('CREATE TABLE ballots (vote_id TEXT, ballot_id TEXT, choices TEXT, PRIMARY KEY (vote_id, ballot_id)) WITHOUT ROWID');
    const markers = ballots[voteIds[0]!]!;
    for (const id of markers) db.prepare('INSERT INTO ballots VALUES (?, ?, ?)').run('v', id, '{"method":"dots","dots":{"a":1}}');
    db.close();
    const file = fs.readFileSync(path.join(dir, DB_FILE));
    fs.rmSync(dir, { recursive: true, force: true });
    const byOffset = orderings(markers.map((m) => locate(file, m)!))['page, then cell offset']!;
    const paired = pairedOff(
      byOffset,
      markers.map((_, i) => i),
    );
    findings.push(`  control: an insert-ordered table of the same ballots: ${paired} of ${markers.length} right`);
    expect(paired).toBeGreaterThan(MAX_PAIRED * 3);
  });
});
