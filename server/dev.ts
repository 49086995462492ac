/**
 * `npm run dev`: the Vite dev server (with hot reload) on PORT, and the API server behind it
 * on PORT + 1; Vite forwards /api, socket.io and the Yjs websocket to it.
 */
import { createServer } from 'vite';
import { startServer } from './app.js';
import { ROOT_DIR, loadConfig } from './config.js';
import { YJS_PATH } from '../shared/protocol.js';
import { lanAddresses } from './urls.js';

const config = loadConfig();
const apiPort = config.port + 1;
// Join links must point at the Vite port, where the pages are, not at the API behind it.
const lan = config.host === '0.0.0.0' ? lanAddresses()[0] : undefined;
const publicUrl = config.publicUrl ?? (lan ? `http://${lan}:${config.port}` : undefined);
const api = await startServer({ ...config, port: apiPort, clientDir: null, publicUrl });
const target = `http://127.0.0.1:${api.port}`;
const vite = await createServer({
  configFile: `${ROOT_DIR}/vite.config.ts`,
  server: {
    port: config.port,
    host: config.host,
    strictPort: true,
    proxy: {
      // Keep the browser's Host header: the API server compares it with the page's Origin, and
      // builds links from it.
      '/api': { target, changeOrigin: false },
      '/socket.io': { target, ws: true },
      [YJS_PATH]: { target, ws: true },
    },
  },
});
await vite.listen();
vite.printUrls();
console.log(`  API server behind it: ${target}`);
