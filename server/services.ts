/** The server's parts, wired together once and handed to the HTTP and socket layers. */
import { readPoints, type PointData } from '../shared/board.js';
import type { Config } from './config.js';
import type { Db } from './db.js';
import { Devices, type Device } from './devices.js';
import { EventLog } from './eventLog.js';
import type { Logger } from './log.js';
import { Sessions } from './sessions.js';
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
  devices: Devices;
  votes: Votes;
  events: EventLog;
  store: DocStore;
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
  storeOptions?: StoreOptions;
}): Omit<Services, 'yjs'> {
  const { db, log } = opts;
  const store = new DocStore(db, log, opts.storeOptions);
  const devices = new Devices(db);
  return {
    ...opts,
    sessions: new Sessions(db),
    devices,
    votes: new Votes(db),
    events: new EventLog(db),
    store,
    pointsOf: (sessionId, table) => store.read(tableDocName(sessionId, table), readPoints),
    deviceById: (id) => devices.byId(id),
  };
}
