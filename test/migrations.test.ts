/**
 * Upgrading a data dir: ballots and evaluation answers stored before the ballot box existed
 * (schema 5) move into it, their receipts lose the device id, and the main file keeps no trace
 * of them, not even in freed pages or its WAL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { BallotBox } from '../server/ballotBox.js';
import { DB_FILE, migrate, openDb, SCHEMA_VERSION } from '../server/db.js';
import { answerReceiptBox, evaluationBox } from '../server/evaluations.js';
import { receiptBox, voteBox } from '../server/votes.js';
import { copyFiles } from './helpers/forensics.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

it('moves schema-5 ballots, answers and receipts into the ballot box and leaves nothing of them behind', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-migrate-'));
  dirs.push(dir);
  const old = new Database(path.join(dir, DB_FILE));
  old.pragma('journal_mode = WAL');
  migrate(old, 5);
  old.exec(`
    INSERT INTO sessions (id, kind, title, question, table_count, themes, join_code, facilitator_key_hash, created_at)
      VALUES ('s1', 'thematafel', 'Avond', 'Vraag', 2, '[]', 'ABCDEF', 'hash', 1);
    INSERT INTO devices (id, session_id, token_hash, table_number, created_at, label) VALUES
      ('device-one-id', 's1', 'token-hash-one', 1, 1, 'AAA'), ('device-two-id', 's1', 'token-hash-two', 2, 1, 'BBB');
    INSERT INTO votes (id, session_id, method, budget, max_per_item, items, status, opened_at, closed_at, eligible, rules)
      VALUES ('v1', 's1', 'dots', 3, 3, '[{"id":"a","text":"A","theme":"x","table":1},{"id":"b","text":"B","theme":"x","table":2}]',
              'closed', 1, 2, 2, '{"method":"dots","budget":3,"maxPerItem":3}');
    INSERT INTO ballots (vote_id, ballot_id, choices) VALUES
      ('v1', 'ballot-one-aaaaaaaaaa', '{"a":2}'), ('v1', 'ballot-two-bbbbbbbbbb', '{"method":"dots","dots":{"b":1}}');
    INSERT INTO ballot_receipts (vote_id, device_id, table_number, seat, seal) VALUES
      ('v1', 'device-one-id', 1, 0, 'seal-one'), ('v1', 'device-two-id', 2, 0, 'seal-two');
    INSERT INTO evaluation_responses (session_id, step_id, response_id, answers)
      VALUES ('s1', 'eval', 'answer-one-cccccccccc', '{"scores":{"heard":4},"remark":"Fijne avond"}');
    INSERT INTO evaluation_receipts (session_id, step_id, device_id, seal) VALUES ('s1', 'eval', 'device-one-id', 'seal-three');
  `);
  old.close();

  const db = openDb(dir);
  expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  const box = new BallotBox(db);
  expect(box.entries(voteBox('v1'))).toEqual([
    ['ballot-one-aaaaaaaaaa', '{"method":"dots","dots":{"a":2}}'],
    ['ballot-two-bbbbbbbbbb', '{"method":"dots","dots":{"b":1}}'],
  ]);
  expect(box.entries(evaluationBox('s1', 'eval'))).toEqual([['answer-one-cccccccccc', '{"scores":{"heard":4},"remark":"Fijne avond"}']]);
  const receipts = box.entries(receiptBox('v1')).map(([voter, body]) => ({ voter, ...(JSON.parse(body) as { seal: string; table: number; seat: number }) }));
  expect(receipts.map((r) => [r.table, r.seat, r.seal]).sort()).toEqual([
    [1, 0, 'seal-one'],
    [2, 0, 'seal-two'],
  ]);
  expect(JSON.stringify(receipts)).not.toContain('device-');
  expect(box.entries(answerReceiptBox('s1', 'eval')).map(([, seal]) => seal)).toEqual(['seal-three']);
  const tables = db.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table'").all() as { name: string }[];
  expect(tables.map((t) => t.name)).not.toEqual(expect.arrayContaining(['ballots']));
  expect(tables.map((t) => t.name)).not.toContain('ballot_receipts');
  expect(tables.map((t) => t.name)).not.toContain('evaluation_responses');

  // Neither the main file nor its WAL still holds the old rows in freed pages.
  for (const [name, bytes] of Object.entries(copyFiles(dir))) {
    if (!name.startsWith(DB_FILE)) continue;
    for (const gone of ['ballot-one-aaaaaaaaaa', 'answer-one-cccccccccc', 'seal-one', 'Fijne avond']) {
      expect(bytes.includes(Buffer.from(gone)), `${name} still holds ${gone}`).toBe(false);
    }
  }
  db.close();
});
