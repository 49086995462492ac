/**
 * One real server for a whole test file: started before its tests, every client closed after
 * each test, the server closed (and its data dir removed) at the end.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { closeClients } from './clients.js';
import { startTestServer, type Options, type TestServer } from './server.js';

export function useTestServer(opts: Options = {}): TestServer {
  let current: TestServer | null = null;
  beforeAll(async () => {
    current = await startTestServer(opts);
  });
  afterEach(closeClients);
  afterAll(async () => {
    await closeClients();
    await current?.close();
  });
  const running = (): TestServer => {
    if (!current) throw new Error('the test server has not started yet');
    return current;
  };
  return {
    get url() {
      return running().url;
    },
    get port() {
      return running().port;
    },
    get services() {
      return running().services;
    },
    get dataDir() {
      return running().dataDir;
    },
    close: () => running().close(),
    restart: () => running().restart(),
  };
}
