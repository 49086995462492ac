/**
 * Scenario "hosted": what the parts of the hosted mode that run today cost on one node. The maxi
 * vote (phones join with the code, then all vote) four times: straight to the node; through the
 * shipped nginx configuration (docs/deploy/nginx.conf); through nginx with the join limits
 * counted in Redis; and straight to a node whose data is in Postgres (DATABASE_URL, a real
 * cluster that syncs to disk). CPU is reported per join and per ballot for the node, nginx, Redis
 * and Postgres, next to the latencies; then how long a standby takes to copy that database into
 * its working copy, which is most of a takeover. Several nodes serving one session's clients are not built
 * yet (docs/deploy.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { copyToSqlite } from '../../server/hosted/writeThrough.js';
import { ProcSampler } from '../procSampler.js';
import type { ServerUnderTest } from '../serverProcess.js';
import { startNginx } from '../../test/helpers/nginx.js';
import { startPostgres } from '../../test/helpers/postgres.js';
import { startRedis } from '../../test/helpers/redis.js';
import { runMaxi, type Front, type MaxiOptions, type MaxiResult } from './maxi.js';

export type HostedOptions = MaxiOptions;

export interface HostedRun {
  name: 'direct' | 'nginx' | 'nginx + Redis' | 'Postgres';
  result: MaxiResult;
}

/** A standby's start after the Postgres run: copying that database into a working copy. */
export interface StandbyLoad {
  rows: number;
  /** Wall time of the copy (reading Postgres, writing SQLite), in ms. */
  ms: number;
  /** This process's CPU over it, in ms (the copy runs here, as it would in the standby). */
  cpuMs: number;
}

export interface HostedResult {
  options: HostedOptions;
  runs: HostedRun[];
  load?: StandbyLoad;
}

/** nginx (the shipped file) in front of the server; the join limit trusts it for addresses. */
async function behindNginx(server: ServerUnderTest): Promise<Front> {
  const nginx = await startNginx([Number(new URL(server.url).port)]);
  return { url: nginx.url, processes: { nginx: nginx.pids().map((pid) => new ProcSampler(pid)) }, stop: () => nginx.stop() };
}

export async function runHosted(rootDir: string, opts: HostedOptions, log: (line: string) => void): Promise<HostedResult> {
  const runs: HostedRun[] = [];
  log('hosted: the maxi vote straight to the node...');
  runs.push({ name: 'direct', result: await runMaxi(rootDir, opts, log) });

  log('hosted: the same through nginx...');
  const proxied = { ...opts, server: { ...opts.server, env: { TRUST_PROXY: 'loopback' } } };
  runs.push({ name: 'nginx', result: await runMaxi(rootDir, proxied, log, behindNginx) });

  log('hosted: the same through nginx, with the join limits in Redis...');
  const redis = await startRedis();
  const redisSampler = new ProcSampler(redis.child.pid!);
  try {
    const shared = { ...opts, server: { ...opts.server, env: { TRUST_PROXY: 'loopback', REDIS_URL: redis.url } } };
    const result = await runMaxi(rootDir, shared, log, async (server) => {
      const front = await behindNginx(server);
      return { ...front, processes: { ...front.processes, redis: [redisSampler] } };
    });
    runs.push({ name: 'nginx + Redis', result });
  } finally {
    redisSampler.stop();
    await redis.stop();
  }

  log('hosted: the maxi vote straight to a node on Postgres...');
  let load: StandbyLoad | undefined;
  const cluster = await startPostgres({ durable: true });
  try {
    const onPostgres = { ...opts, server: { ...opts.server, env: { DATABASE_URL: await cluster.createDatabase() } } };
    const result = await runMaxi(rootDir, onPostgres, log, (server) => {
      // The node's connections are open by now (it loaded the database): every backend is sampled.
      const samplers = cluster.pids().map((pid) => new ProcSampler(pid));
      const stop = () => {
        for (const s of samplers) s.stop();
        return Promise.resolve();
      };
      return Promise.resolve({ url: server.url, processes: { postgres: samplers }, stop });
    });
    runs.push({ name: 'Postgres', result });
    log('hosted: a standby loading that database...');
    load = await standbyLoad(onPostgres.server.env.DATABASE_URL);
  } finally {
    cluster.stop();
  }
  return { options: opts, runs, ...(load && { load }) };
}

/** Times what a standby does when it takes over: copy the whole database into a working copy. */
async function standbyLoad(url: string): Promise<StandbyLoad> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-bench-load-'));
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const db = await copyToSqlite(url, dir);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' UNION ALL SELECT 'box.' || name FROM box.sqlite_master WHERE type = 'table'",
      )
      .all() as { name: string }[];
    const rows = tables.reduce((sum, t) => sum + (db.prepare(`SELECT COUNT(*) AS n FROM ${t.name}`).get() as { n: number }).n, 0);
    db.close();
    return { rows, ms, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
