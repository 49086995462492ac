/**
 * The e2e server in the secure mode (HTTPS=true), and how the browser comes to trust it.
 *
 * Its certificates are made here, before the server starts, in the data dir it will use; the
 * server finds them right for its addresses and keeps them. Chromium is then told to accept
 * exactly that certificate's key (--ignore-certificate-errors-spki-list), which makes the page
 * a secure context with no certificate error, as on a tablet that trusts the laptop's CA. With
 * Playwright's ignoreHTTPSErrors instead, Chromium refuses to register a service worker.
 *
 * The config is read again in every worker process; the data dir travels in the environment,
 * so each reading finds the same certificates.
 */
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { certificateHosts, loadOrIssueCertificates } from '../server/certificates';
import { lanAddresses } from '../server/urls';

export function secureServer(port: number) {
  const dataDir = (process.env.E2E_SECURE_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-e2e-https-')));
  // The same names server/webServer.ts asks for with HOST=127.0.0.1 and no PUBLIC_URL.
  const certs = loadOrIssueCertificates(path.join(dataDir, 'tls'), certificateHosts({ lan: lanAddresses(), listenHost: '127.0.0.1' }));
  const spki = new X509Certificate(certs.cert).publicKey.export({ type: 'spki', format: 'der' });
  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    trustArgs: [`--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`],
    webServer: {
      command: 'npx tsx server/main.ts',
      cwd: '..',
      url: `${url}/api/health`,
      // Only for Playwright's own readiness check, which cannot be given the CA.
      ignoreHTTPSErrors: true,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: 'pipe' as const,
      env: { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error', HTTPS: 'true' },
    },
  };
}
