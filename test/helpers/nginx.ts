/**
 * The shipped nginx configuration (docs/deploy/nginx.conf) in front of test or bench nodes: the file is
 * taken as it is, with only its upstream servers, its port and its log's path replaced, and run
 * by a real nginx on a free port with everything else in a temporary directory.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, onAFreePort, until } from './processes.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHIPPED_CONFIG = path.join(ROOT, 'docs', 'deploy', 'nginx.conf');

const NGINX = spawnSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx 2>/dev/null'], { encoding: 'utf8' }).stdout.trim().split('\n')[0] ?? '';

/** Whether the routing tests run here: always in CI. */
export const nginxAvailable = NGINX !== '' || process.env.CI === 'true';

export interface Nginx {
  url: string;
  /** Each logged request: its path, the session it was routed by, and the node that answered. */
  routed(): { uri: string; session: string; node: string }[];
  /** The master process and its worker, for the bench's CPU samples. */
  pids(): number[];
  /** What nginx wrote to its error log. */
  errors(): string;
  stop(): Promise<void>;
}

/** The shipped file with test nodes, a test port and a test log. */
function configFor(ports: number[], listen: number, log: string): string {
  const shipped = fs.readFileSync(SHIPPED_CONFIG, 'utf8');
  const servers = /^(\s*)server 10\.0\.0\.\d+:3000( [^;]*);\n/gm;
  const first = servers.exec(shipped);
  if (!first) throw new Error('the shipped nginx.conf lists no upstream server like 10.0.0.11:3000');
  const [indent, options] = [first[1]!, first[2]!];
  const nodes = ports.map((p) => `${indent}server 127.0.0.1:${p}${options};\n`).join('');
  let out = shipped.replace(servers, (_m, _i, _o, offset: number) => (offset === first.index ? nodes : ''));
  out = out.replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${listen};`);
  out = out.replace(/access_log \/var\/log\/nginx\/tafelronde\.log tafelronde;/, `access_log ${log} tafelronde;`);
  if (!out.includes(`listen 127.0.0.1:${listen};`) || !out.includes(log)) throw new Error('the shipped nginx.conf no longer has the lines this test replaces');
  return out;
}

/** nginx on a free port; tried again on another port if one was taken meanwhile. */
export async function startNginx(ports: number[]): Promise<Nginx> {
  return onAFreePort(() => startNginxOnce(ports));
}

async function startNginxOnce(ports: number[]): Promise<Nginx> {
  if (!NGINX) throw new Error('nginx is not installed (apt-get install nginx; .ci/run does)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-nginx-'));
  const listen = await freePort();
  const log = path.join(dir, 'access.log');
  const site = path.join(dir, 'tafelronde.conf');
  fs.writeFileSync(site, configFor(ports, listen, log));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${path.join(dir, t)};`).join('\n  ');
  const main = path.join(dir, 'nginx.conf');
  fs.writeFileSync(
    main,
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}daemon off;
worker_processes 1;
worker_rlimit_nofile 16384;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 8192; }
http {
  ${temp}
  include ${site};
}
`,
  );
  const child = spawn(NGINX, ['-e', path.join(dir, 'error.log'), '-p', dir, '-c', main], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${listen}`;
  const answers = until(() => fetch(`${url}/api/health`));
  const died = exited.then(() => {
    throw new Error(`nginx exited:\n${out}`);
  });
  died.catch(() => undefined);
  const stop = async () => {
    if (child.exitCode === null) {
      // Fast shutdown: open websockets are cut, as the tests have closed their clients; the
      // master ends its worker first (a SIGKILL would leave the worker, and the port, behind).
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([answers, died]);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    routed() {
      if (!fs.existsSync(log)) return [];
      return fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const m = /"[A-Z]+ (\S+)" \d+ session=(\S*) node=(.*)$/.exec(line);
          if (!m) throw new Error(`an access log line this test cannot read: ${line}`);
          // After a failed node, nginx lists every node it tried: the last one answered.
          return { uri: m[1]!, session: m[2]!, node: m[3]!.split(', ').at(-1)! };
        });
    },
    pids() {
      const master = child.pid!;
      const workers = fs.readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      return [master, ...workers];
    },
    errors() {
      const file = path.join(dir, 'error.log');
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    },
    stop,
  };
}
