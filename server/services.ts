/** The server's parts, wired together once and handed to the HTTP and socket layers. */
import { readPoints, type PointData } from '../shared/board.js';
import type { Config } from './config.js';
import type { Db } from './db.js';
import { Devices, type Device } from './devices.js';
import { EventLog } from './eventLog.js';
import { Evaluations } from './evaluations.js';
import type { Logger } from './log.js';
import type { RedisClient } from './hosted/redis.js';
import { Plenary } from './plenary.js';
import { RunControl } from './run.js';
import { Sessions } from './sessions.js';
import { Tables } from './tables.js';
import type { Urls } from './urls.js';
import { Votes } from './votes.js';
import { tableDocName } from './yjs/docNames.js';
import { DocStore, type StoreOptions } from './yjs/docStore.js';
import type { YjsServer } from './yjs/yjsServer.js';

export interface Services {
  config: Config;
  db: Db;
  log: Logger;
  urls: Urls;
  sessions: Sessions;
  tables: Tables;
  run: RunControl;
  devices: Devices;
  votes: Votes;
  evaluations: Evaluations;
  events: EventLog;
  store: DocStore;
  plenary: Plenary;
  /** Hosted mode's Redis (REDIS_URL); undefined on a laptop. */
  redis?: RedisClient;
  /** Hosted mode's output gate: answers wait until what was written is in Postgres, or get not_stored (server/storage.ts). */
  persisted?: () => Promise<void>;
  /** Set once the websocket endpoint is attached. */
  yjs: YjsServer;
  pointsOf(sessionId: string, table: number): PointData[];
  deviceById(id: string): Device | undefined;
}

export function createServices(opts: {
  config: Config;
  db: Db;
  log: Logger;
  urls: Urls;
  redis?: RedisClient;
  persisted?: () => Promise<void>;
  storeOptions?: StoreOptions;
}): Omit<Services, 'yjs'> {
  const { db, log } = opts;
  const store = new DocStore(db, log, opts.storeOptions, opts.persisted);
  const devices = new Devices(db);
  const sessions = new Sessions(db);
  const tables = new Tables(db);
  const votes = new Votes(db);
  const events = new EventLog(db);
  return {
    ...opts,
    sessions,
    tables,
    run: new RunControl(sessions, tables, votes, events),
    devices,
    votes,
    evaluations: new Evaluations(db),
    events,
    store,
    plenary: new Plenary(store),
    pointsOf: (sessionId, table) => store.read(tableDocName(sessionId, table), readPoints),
    deviceById: (id) => devices.byId(id),
  };
}
