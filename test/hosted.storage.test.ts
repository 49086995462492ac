/**
 * Hosted mode's storage (server/hosted/writeThrough.ts) against a real Postgres, in what the
 * suite run on Postgres (the `postgres` project) cannot show: that an answer waits for Postgres
 * while Postgres is paused, and that a second node on the same database waits until the first
 * is gone, then serves what the first stored.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../server/log.js';
import type { JoinPreview } from '../shared/protocol.js';
import { api, createSession } from './helpers/clients.js';
import { postgresAvailable, startPostgres, type PostgresCluster } from './helpers/postgres.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let cluster: PostgresCluster;
const servers: TestServer[] = [];

beforeAll(async () => {
  if (postgresAvailable) cluster = await startPostgres();
}, 60_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  cluster?.stop();
});

async function node(url: string, log?: Logger): Promise<TestServer> {
  const server = await startTestServer({ env: { DATABASE_URL: url }, ...(log && { log }) });
  servers.push(server);
  return server;
}

async function notesInPostgres(url: string, sessionId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ text: string }>('SELECT text FROM report_notes WHERE session_id = $1 ORDER BY position', [sessionId]);
    return rows.map((r) => r.text);
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgresAvailable)('a node on Postgres', () => {
  it('answers only once Postgres has it: with Postgres paused the change waits in the working copy, unanswered', async () => {
    const url = await cluster.createDatabase();
    const server = await node(url);
    const s = await createSession(server);
    let answered = false;
    for (const pid of cluster.pids()) process.kill(pid, 'SIGSTOP');
    try {
      const saving = api(server, `/sessions/${s.id}/notes`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${s.facilitatorKey}` },
        body: { notes: ['Bel de wijkagent'] },
      }).then((res) => {
        answered = true;
        return res;
      });
      // Written to the node's working copy, and sent to a Postgres that does not run: no answer.
      await vi.waitFor(() => expect(server.services.db.prepare('SELECT text FROM report_notes WHERE session_id = ?').all(s.id)).toHaveLength(1));
      expect(answered).toBe(false);
      for (const pid of cluster.pids()) process.kill(pid, 'SIGCONT');
      const res = await saving;
      expect(res.status).toBe(200);
      expect(await notesInPostgres(url, s.id)).toEqual(['Bel de wijkagent']);
    } finally {
      for (const pid of cluster.pids()) process.kill(pid, 'SIGCONT');
    }
  });

  it('a second node on the same database stands by until the first is gone, then serves what it stored', async () => {
    const url = await cluster.createDatabase();
    const first = await node(url);
    const s = await createSession(first, { title: 'Eerst hier' });
    const lines: string[] = [];
    const log: Logger = { error: (m) => lines.push(m), info: (m) => lines.push(m), debug: () => undefined };
    let serving = false;
    const second = node(url, log).then((srv) => {
      serving = true;
      return srv;
    });
    await vi.waitFor(() => expect(lines.join('\n')).toContain('stands by'));
    expect(serving).toBe(false);
    await first.close();
    const next = await second;
    const preview = await api<JoinPreview>(next, `/join/${s.joinCode}`);
    expect(preview.body).toEqual({ sessionId: s.id, title: 'Eerst hier', tables: expect.any(Number) as number });
  });
});
