/**
 * Where a server keeps what it is told, in each test project (vite.config.ts): the files in
 * DATA_DIR on `sqlite`; a Postgres database on `postgres`, with only a working copy on the node's
 * own disk. Guards the other integration tests against a project that silently ran on the other
 * database, and shows that a REST answer comes after its data is stored.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { DB_FILE } from '../server/db.js';
import { WORKING_COPY_DIR } from '../server/hosted/writeThrough.js';
import { api, createSession } from './helpers/clients.js';
import { countRows } from './helpers/server.js';
import { useTestServer } from './helpers/setup.js';
import { onPostgres, stored } from './helpers/storage.js';

const server = useTestServer();

it('keeps a new session where the project says, by the time it answers 201', async () => {
  const s = await createSession(server, { title: 'Waar staat het?' });
  // On Postgres this reads a fresh copy of the database, not the node's working copy.
  const row = await stored(server.dataDir, (db) => db.prepare('SELECT title FROM sessions WHERE id = ?').get(s.id));
  expect(row).toEqual({ title: 'Waar staat het?' });
  if (onPostgres) {
    expect(server.services.persisted).toBeTypeOf('function');
    expect(fs.existsSync(path.join(server.dataDir, DB_FILE))).toBe(false);
    expect(fs.existsSync(path.join(server.dataDir, WORKING_COPY_DIR, DB_FILE))).toBe(true);
  } else {
    expect(server.services.persisted).toBeUndefined();
    expect(fs.existsSync(path.join(server.dataDir, DB_FILE))).toBe(true);
  }
});

it('refuses text that Postgres cannot hold (a NUL character), on both databases, and stores nothing', async () => {
  const before = countRows(server, 'sessions');
  const res = await api(server, '/sessions', { body: { title: 'Avond\u0000in de bieb' } });
  expect(res.status).toBe(400);
  expect(res.text).toContain('NUL');
  expect(countRows(server, 'sessions')).toBe(before);
  const s = await createSession(server);
  const notes = await api(server, `/sessions/${s.id}/notes`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${s.facilitatorKey}` },
    body: { notes: ['\u0000'] },
  });
  expect(notes.status).toBe(400);
  expect(countRows(server, 'report_notes', 'WHERE session_id = ?', s.id)).toBe(0);
});
