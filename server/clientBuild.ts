/** `npm start` builds the client when there is no build yet or its sources changed since. */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from './log.js';

const SOURCES = ['client', 'shared', 'vite.config.ts', 'package.json'];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function clientIsStale(rootDir: string, clientDir: string): boolean {
  const index = path.join(clientDir, 'index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(rootDir, s)) > built);
}

export async function ensureClientBuilt(rootDir: string, clientDir: string, log: Logger): Promise<void> {
  if (!clientIsStale(rootDir, clientDir)) return;
  log.info('Building the client (first start, or its sources changed)...');
  const { build } = await import('vite');
  await build({ configFile: path.join(rootDir, 'vite.config.ts'), logLevel: 'warn' });
}
