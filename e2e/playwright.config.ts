import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { secureServer } from './secureServer';

/**
 * Browser tests run against the real server (`server/main.ts`, which builds the client when
 * needed) on its own port with a fresh data dir. Chromium comes from Debian (`/usr/bin/chromium`)
 * where present, else from Playwright's own cache on a developer's machine; it is never downloaded.
 */
const PORT = Number(process.env.E2E_PORT ?? 3217);
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const executablePath = process.env.CHROMIUM_PATH ?? systemChromium;
const dataDir = process.env.E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-e2e-'));
/** A second server in the secure mode (HTTPS=true) for e2e/offline.spec.ts, on the next port. */
const secure = secureServer(Number(process.env.E2E_SECURE_PORT ?? PORT + 1));
const launchArgs = [
  // Root in CI has no user namespaces for the sandbox; the network is closed, so keep Chromium from calling out.
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-gpu',
  '--disable-dev-shm-usage',
];

export default defineConfig({
  testDir: '.',
  outputDir: '../test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: { executablePath, args: launchArgs },
  },
  projects: [
    { name: 'default', testIgnore: /offline\.spec\.ts$/ },
    {
      name: 'secure',
      testMatch: /offline\.spec\.ts$/,
      use: {
        baseURL: secure.url,
        // The browser trusts the server's certificate as a tablet does once its CA is installed, not by ignoring errors.
        launchOptions: { executablePath, args: [...launchArgs, ...secure.trustArgs] },
      },
    },
  ],
  webServer: [
    {
      command: 'npx tsx server/main.ts',
      cwd: '..',
      url: `http://127.0.0.1:${PORT}/api/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      env: { PORT: String(PORT), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error' },
    },
    // Started after the first one is up, so the client is built once.
    secure.webServer,
  ],
});
