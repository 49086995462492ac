/**
 * The report of a big evening: 200 devices at 20 tables, 2,000 points over two rounds, a
 * plenary list, three votes and an evaluation (test/fixtures/reportSession.ts, built the way the
 * server builds it). Renders every format several times in this process, through the same
 * function the route uses (server/domain/reportFiles.ts), and reports wall time and CPU time per
 * format. Then opens the report page in Chromium with that report and measures how long each
 * key typed in the introduction takes to show (the Event Timing API: from the key to the next
 * paint), with the 2,000 points on the page, with and without the point editing controls.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import { REPORT_FORMATS, type ReportFormat } from '../../shared/report.js';
import { NO_EDITS, type ReportEditsBody } from '../../shared/reportEdits.js';
import { reportOutline } from '../../shared/reportOutline.js';
import { startServer } from '../../server/app.js';
import { ensureClientBuilt } from '../../server/clientBuild.js';
import { loadConfig } from '../../server/config.js';
import { buildReport } from '../../server/domain/report.js';
import { renderReportFile } from '../../server/domain/reportFiles.js';
import { eveningInput, logo } from '../../test/fixtures/reportSession.js';
import { summarise, type Summary } from '../stats.js';

export interface ReportOptions {
  tables: number;
  pointsPerTable: number;
  devicesPerTable: number;
  /** Renders per format after one warm-up. */
  runs: number;
  /** Keys typed into the introduction on the report page. */
  keys: number;
}

export interface FormatResult {
  format: ReportFormat | 'outline';
  wallMs: Summary;
  /** Process CPU time (user + system) per render, mean. */
  cpuMs: number;
  bytes: number;
}

export interface ReportResult {
  options: ReportOptions;
  points: number;
  devices: number;
  /** Building the model from the boards, votes and log. */
  build: Summary;
  formats: FormatResult[];
  /** Key → next paint in the introduction, on the report page (ms); null when Chromium is not there. */
  typing: { plain: Summary; editing: Summary } | null;
}

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

async function timed<T>(runs: number, work: () => Promise<T> | T): Promise<{ wall: Summary; cpuMs: number; last: T }> {
  let last = await work();
  const walls: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    last = await work();
    walls.push(performance.now() - start);
  }
  const used = process.cpuUsage(cpu);
  return { wall: summarise(walls), cpuMs: (used.user + used.system) / 1000 / runs, last };
}

export async function runReport(rootDir: string, options: ReportOptions, log: (line: string) => void): Promise<ReportResult> {
  const devicesByTable = new Map(Array.from({ length: options.tables }, (_, i) => [i + 1, options.devicesPerTable]));
  const input = { ...eveningInput(options.tables, options.pointsPerTable), devicesByTable };
  const build = await timed(options.runs, () => buildReport(input));
  const report = build.last;
  log(`report: ${report.totals.points} points, ${report.totals.devices} devices; rendering each format ${options.runs} times`);

  const formats: FormatResult[] = [];
  const outline = await timed(options.runs, () => reportOutline(report, 'nl'));
  formats.push({ format: 'outline', wallMs: outline.wall, cpuMs: outline.cpuMs, bytes: 0 });
  const withLogo = await logo();
  for (const format of REPORT_FORMATS) {
    const r = await timed(options.runs, () => renderReportFile(report, format, { lang: 'nl', version: 'full', logo: withLogo }));
    formats.push({ format, wallMs: r.wall, cpuMs: r.cpuMs, bytes: r.last.body.length });
    log(`report: ${format} p50 ${Math.round(r.wall.p50)} ms, ${Math.round(r.last.body.length / 1024)} KB`);
  }

  return {
    options,
    points: report.totals.points,
    devices: report.totals.devices,
    build: build.wall,
    formats,
    typing: await typing(rootDir, report, options.keys, log),
  };
}

/** The report page with this report (served to the page in place of the session's own), typing in the introduction. */
async function typing(rootDir: string, report: ReturnType<typeof buildReport>, keys: number, log: (line: string) => void): Promise<ReportResult['typing']> {
  if (!CHROMIUM) {
    log('report: no Chromium at /usr/bin/chromium; the typing measure is left out');
    return null;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-bench-report-'));
  const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  if (config.clientDir) await ensureClientBuilt(rootDir, config.clientDir, { info: log, error: log, debug: () => undefined });
  const server = await startServer(config);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const created = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const session = (await created.json()) as { id: string; facilitatorKey: string };
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // The page asks for its session's report; it gets the big one, and its edits stay in the page.
    await page.route('**/report.json*', (route) => route.fulfill({ json: report }));
    await page.route('**/report/edits', (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({ json: { edits: route.request().postDataJSON() as ReportEditsBody, logo: null } })
        : route.fulfill({ json: { edits: NO_EDITS, logo: null } }),
    );
    await page.goto(`${server.url}/f/${session.id}/verslag#key=${session.facilitatorKey}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const measure = async (): Promise<Summary> => {
      await page.evaluate(() => {
        const w = window as unknown as { keyDurations: number[]; keyObserver?: PerformanceObserver };
        w.keyObserver?.disconnect();
        w.keyDurations = [];
        w.keyObserver = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (e.name === 'keydown') w.keyDurations.push(e.duration);
        });
        w.keyObserver.observe({ type: 'event', durationThreshold: 16, buffered: false } as PerformanceObserverInit);
      });
      const box = page.getByRole('textbox', { name: 'Inleiding' });
      await box.click();
      for (let i = 0; i < keys; i++) await box.press(i % 12 === 11 ? 'Space' : 'e', { delay: 0 });
      await page.waitForTimeout(500);
      // Keys that took less than 16 ms are not reported by the browser: count them as 16.
      const slow = await page.evaluate(() => (window as unknown as { keyDurations: number[] }).keyDurations);
      return summarise([...slow, ...Array.from({ length: Math.max(0, keys - slow.length) }, () => 16)]);
    };
    const plain = await measure();
    await page.getByRole('checkbox', { name: 'Punten en thema’s bewerken' }).check();
    await page
      .getByRole('button', { name: /^Bewerk:/ })
      .first()
      .waitFor();
    const editing = await measure();
    log(`report: typing in the introduction, key → paint p95 ${Math.round(plain.p95)} ms (${Math.round(editing.p95)} ms with the editing controls)`);
    return { plain, editing };
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
