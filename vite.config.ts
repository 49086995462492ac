import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Every test file that starts a Tafelronde server runs twice: on SQLite, as a laptop does, and
 * in hosted mode on a real Postgres (test/helpers/storage.ts). The hosted.* files start their own
 * clusters and nodes. Postgres runs when it is installed, and always in CI (.ci/run installs it).
 */
const STARTS_A_SERVER = /\b(useTestServer|startTestServer|startMainProcess)\(/;
// Read wherever the config is loaded from; a copy without tests (a build for hosting) has none.
const testDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test');
const serverTests = fs.existsSync(testDir)
  ? fs
      .readdirSync(testDir)
      .filter((f) => f.endsWith('.test.ts') && !f.startsWith('hosted.') && STARTS_A_SERVER.test(fs.readFileSync(path.join(testDir, f), 'utf8')))
      .map((f) => `test/${f}`)
  : [];
const withPostgres = fs.existsSync('/usr/lib/postgresql') || process.env.CI === 'true';

export default defineConfig({
  root: 'client',
  plugins: [
    react(),
    // The service worker keeps the app shell on the tablet, so a reload without the laptop still
    // opens the board (browsers run it only over HTTPS or on localhost; see docs/https.md).
    VitePWA({
      // Registered by client/lib/serviceWorker.ts, only in a secure context.
      injectRegister: false,
      registerType: 'autoUpdate',
      includeAssets: ['icons/icon.svg', 'icons/apple-touch-icon.png'],
      manifest: {
        name: 'Tafelronde',
        short_name: 'Tafelronde',
        description: 'Samen in gesprek aan tafel, live in de zaal.',
        lang: 'nl',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#0b5cad',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // The laptop's own screens (charts, console, projector) are not kept on tablets, which never open them.
        globIgnores: ['**/assets/{VoteChart,ProjectorView,FacilitatorConsole,ReportPage,AgendaEditor,PlenaryPage}-*.js'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        // Every page of the app is index.html; what the server answers live is never cached.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/socket\.io\//, /^\/yjs/, /^\/ca\.crt$/, /^\/certificaat$/],
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  test: {
    root: '.',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      ...(withPostgres ? [{ extends: true as const, test: { name: 'postgres', include: serverTests, globalSetup: ['test/helpers/postgresSuite.ts'] } }] : []),
    ],
  },
});
