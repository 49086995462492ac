/**
 * A real Postgres for the hosted-mode tests: a cluster made with initdb in a temporary
 * directory and started with pg_ctl on a free port, stopped and removed again by `stop`.
 * Postgres refuses to run as root, so as root both run as the `postgres` user the Debian package
 * makes. CI installs it (.ci/run); elsewhere these tests are skipped when it is missing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './processes.js';

/** The newest installed server's bin directory, e.g. /usr/lib/postgresql/15/bin. */
function findBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

const BIN = findBin();

/** Whether the hosted-mode tests that need Postgres run here: always in CI. */
export const postgresAvailable = BIN !== null || process.env.CI === 'true';

const asRoot = process.getuid?.() === 0;

/** Runs a Postgres program, as the `postgres` user when we are root. */
function run(program: string, args: string[]): void {
  if (!BIN) throw new Error('Postgres is not installed (apt-get install postgresql; .ci/run does)');
  const file = path.join(BIN, program);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  execFileSync(cmd, argv, { stdio: 'pipe' });
}

export interface PostgresCluster {
  port: number;
  /** The postmaster and its backends now, for the bench's CPU samples. */
  pids(): number[];
  /** The cluster's own `postgres` database, for making others. */
  admin: string;
  /** A URL for a new, empty database on the cluster. */
  createDatabase(): Promise<string>;
  stop(): void;
}

let databases = 0;

/** Makes a new, empty database on the cluster of `admin` and returns its URL. */
export async function createDatabase(admin: string): Promise<string> {
  const name = `tafelronde_${process.pid}_${++databases}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface PostgresOptions {
  /**
   * Sync to disk as a production server does (the bench). The tests kill app nodes, never
   * Postgres itself, and go without.
   */
  durable?: boolean;
}

export async function startPostgres(opts: PostgresOptions = {}): Promise<PostgresCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-pg-'));
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  let port = 0;
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', ...(opts.durable ? [] : ['--no-sync'])]);
    // A free port may be taken before Postgres binds it (tests run in parallel): try another.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200${opts.durable ? '' : ' -c fsync=off -c full_page_writes=off'}`;
      try {
        run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-o', options, '-w', '-t', '30', 'start']);
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
  } catch (err) {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // It never started.
    }
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    port,
    admin,
    createDatabase: () => createDatabase(admin),
    pids() {
      const master = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const children = fs.readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      return [master, ...children];
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
