/**
 * Nothing secret reaches a log: a whole session, with mistakes and faults along the way, is
 * run against a server that logs everything (debug), and every line it wrote, and everything
 * written to the console meanwhile, is searched for the facilitator key, host keys, device
 * tokens and ballot ids.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as WS } from 'ws';
import { createLogger, redact } from '../server/log.js';
import { Events, PROTOCOL_VERSION, YJS_SUBPROTOCOL, type HostLink } from '../shared/protocol.js';
import {
  addPointTo,
  api,
  closeClients,
  connectError,
  emitAck,
  emitOk,
  gotoStep,
  joinDevice,
  newBallotId,
  openVote,
  startedSession,
  stepIdOf,
  submitBallot,
  tableHost,
  tableProvider,
  waitForServerPoints,
  WAIT,
  yjsUpgradeStatus,
  yjsUrl,
} from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const lines: string[] = [];
const consoleOut: string[] = [];
let server: TestServer;

beforeAll(async () => {
  // The real limits, so that refusals are logged as they would be in the room.
  server = await startTestServer({ realLimits: true, log: createLogger('debug', (line) => lines.push(line)) });
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleOut.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  await closeClients();
  await server?.close();
});

describe('logs', () => {
  it('name no key, token or ballot during a whole session, its mistakes and its faults', async () => {
    const secrets: string[] = [];
    const agenda = {
      rounds: [
        {
          steps: [
            { type: 'inbreng' as const, durationSec: 600 },
            { type: 'stemmen' as const, durationSec: 300, vote: { method: 'dots' as const, budget: 3, maxPerItem: 3 } },
            { type: 'evaluatie' as const, durationSec: 300 },
          ],
        },
      ],
    };
    const { s, fac } = await startedSession(server, { tables: 2, agenda });
    secrets.push(s.facilitatorKey);
    const links = await emitOk<HostLink[]>(fac.socket, Events.hostLinks, {});
    secrets.push(...links.map((l) => new URL(l.url).hash.slice('#key='.length)));
    await tableHost(server, s, 1);

    const devices = await Promise.all([joinDevice(server, s, 1), joinDevice(server, s, 1), joinDevice(server, s, 2)]);
    secrets.push(...devices.map((d) => d.token));
    const boards = await Promise.all(devices.map((d, i) => tableProvider(server, s.id, i < 2 ? 1 : 2, { device: d.token })));
    const points = [addPointTo(boards[0]!, 'Een punt'), addPointTo(boards[2]!, 'Nog een punt')];
    await waitForServerPoints(server, s.id, 1, 1);
    await waitForServerPoints(server, s.id, 2, 1);

    // Mistakes: wrong credentials, wrong payloads, a device at the wrong table.
    await connectError(server, {
      protocol: PROTOCOL_VERSION,
      role: 'facilitator',
      sessionId: s.id,
      key: `${s.facilitatorKey.slice(0, -1)}${s.facilitatorKey.endsWith('x') ? 'y' : 'x'}`,
    });
    await connectError(server, { protocol: 1, role: 'device', sessionId: s.id, token: devices[0].token });
    expect(await yjsUpgradeStatus(server, `${s.id}/2`, [YJS_SUBPROTOCOL, `device.${devices[0].token}`])).toBe(403);
    await emitAck(devices[0].socket, Events.ballotSubmit, { voteId: 'nope', ballotId: devices[1].token, choices: { method: 'dots', dots: { x: 99 } } });
    await emitAck(fac.socket, Events.stepGoto, { stepId: s.facilitatorKey });
    await api(server, `/sessions/${s.id}/report.json`, { headers: { authorization: `Bearer ${devices[0].token}` } });
    await api(server, '/join', { body: { code: s.joinCode, token: devices[0].token } });

    // Faults: a malformed and an oversized Yjs message.
    for (const message of [Uint8Array.from([0, 9, 9, 9]), new Uint8Array(65 * 1024)]) {
      await new Promise<void>((resolve) => {
        const ws = new WS(`${yjsUrl(server)}/${s.id}/1`, [YJS_SUBPROTOCOL, `device.${devices[1].token}`]);
        ws.on('open', () => ws.send(message));
        ws.on('close', () => resolve());
        ws.on('error', () => undefined);
      });
    }

    // The vote, the evaluation, the report.
    await gotoStep(fac, 'stemmen');
    const vote = await openVote(fac);
    for (const d of devices) {
      const ballotId = newBallotId();
      secrets.push(ballotId);
      expect(await submitBallot(d, vote.id, ballotId, { [points[0]!]: 2, [points[1]!]: 1 })).toMatchObject({ ok: true });
    }
    await gotoStep(fac, 'evaluatie');
    const stepId = stepIdOf(fac, 'evaluatie');
    for (const d of devices) {
      const responseId = newBallotId();
      secrets.push(responseId);
      await emitOk(d.socket, Events.evaluationSubmit, { stepId, responseId, scores: { satisfied: 4 }, remark: 'Prima avond' });
    }
    for (const file of ['report.json', 'report.md']) {
      expect((await api(server, `/sessions/${s.id}/${file}`, { headers: { authorization: `Bearer ${s.facilitatorKey}` } })).status).toBe(200);
    }
    await emitOk(fac.socket, Events.stepNext, {});
    await closeClients();

    // The server did log (this is no test of an empty log)...
    await vi.waitFor(() => expect(lines.some((l) => l.includes('yjs: dropped a malformed message'))).toBe(true), WAIT);
    expect(lines.length).toBeGreaterThan(0);
    // ...and nowhere a secret.
    expect(secrets.length).toBe(1 + 2 + 3 + 3 + 3);
    const everything = [...lines, ...consoleOut].join('\n');
    for (const secret of secrets) expect(everything.includes(secret), `a secret in the log:\n${everything}`).toBe(false);
  });
});

describe('redact', () => {
  it('blanks credentials in the forms they travel in, and leaves the rest', () => {
    const key = 'Ko-kPzQbo9mf3ezcA-K_kwv7A1xTBv_S';
    expect(redact(`authorization: Bearer ${key} failed`)).toBe('authorization: Bearer [redacted] failed');
    expect(redact(`http://x:3000/f/abc#key=${key}`)).toBe('http://x:3000/f/abc#key=[redacted]');
    expect(redact(`protocols tafelronde.yjs.v1, device.${key}`)).toBe('protocols tafelronde.yjs.v1, device.[redacted]');
    expect(redact(`{"role":"facilitator","key":"${key}"}`)).toBe('{"role":"facilitator","key":"[redacted]"}');
    expect(redact(`{"deviceToken": "${key}"}`)).toBe('{"deviceToken": "[redacted]"}');
    expect(redact('compacted document s1/2 on localhost.example')).toBe('compacted document s1/2 on localhost.example');
  });

  it('is applied to every line the logger writes, error stacks included', () => {
    const out: string[] = [];
    const log = createLogger('debug', (l) => out.push(l));
    const key = 'Ko-kPzQbo9mf3ezcA-K_kwv7A1xTBv_S';
    log.info(`opened with #key=${key}`);
    log.error('failed', new Error(`bad header Bearer ${key}`));
    expect(out.join('\n')).not.toContain(key);
    expect(out).toHaveLength(2);
  });

  it('blanks secret fields by name (pino redact paths), where no pattern would find them', () => {
    const out: string[] = [];
    const log = createLogger('debug', (l) => out.push(l));
    const key = 'Ko-kPzQbo9mf3ezcA-K_kwv7A1xTBv_S';
    expect(redact(key)).toBe(key); // a bare value: only its field's name gives it away
    log.error('request failed', {
      req: { method: 'GET', headers: { authorization: key, 'sec-websocket-protocol': key, host: 'laptop:3000' } },
      session: { id: 's1', facilitatorKey: key, tables: [{ hostKey: key }] },
      device: { deviceToken: key, table: 2 },
      token: key,
      vote: { ballotId: key },
    });
    log.error('join failed', Object.assign(new Error('refused'), { code: 'EREFUSED', secret: key }));
    const written = out.join('\n');
    expect(written).not.toContain(key);
    expect(out[0]).toContain('"authorization":"[redacted]"');
    expect(out[0]).toContain('"facilitatorKey":"[redacted]"');
    expect(out[0]).toContain('"hostKey":"[redacted]"');
    expect(out[0]).toContain('"deviceToken":"[redacted]"');
    expect(out[0]).toContain('"host":"laptop:3000"');
    expect(out[0]).toContain('"table":2');
    expect(out[1]).toContain('"code":"EREFUSED"');
    expect(out[1]).toContain('"secret":"[redacted]"');
  });

  it('blanks credentials in string fields and in the causes of an error', () => {
    const out: string[] = [];
    const log = createLogger('debug', (l) => out.push(l));
    const key = 'Ko-kPzQbo9mf3ezcA-K_kwv7A1xTBv_S';
    log.error('upgrade failed', { url: new URL(`http://x:3000/f/abc#key=${key}`), protocols: [`tafelronde.yjs.v1`, `device.${key}`] });
    log.error('request failed', new Error('outer', { cause: new Error(`{"token":"${key}"}`) }));
    log.error('thrown', `Bearer ${key}`);
    expect(out.join('\n')).not.toContain(key);
    expect(out).toHaveLength(3);
    expect(out[1]).toContain('caused by: Error: {"token":"[redacted]"}');
  });
});

describe('logger', () => {
  it('writes one plain line per entry: time, level, message', () => {
    const out: string[] = [];
    const log = createLogger('debug', (l) => out.push(l));
    log.info('Building the client...');
    log.debug('compacted document s1/2');
    log.error('request failed', new Error('boom'));
    expect(out[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info {2}Building the client\.\.\.$/);
    expect(out[1]).toMatch(/Z debug compacted document s1\/2$/);
    expect(out[2]).toMatch(/Z error request failed: Error: boom\n\s+at /);
  });

  it('keeps LOG_LEVEL: silent, error, info, debug', () => {
    const written = (level: 'silent' | 'error' | 'info' | 'debug') => {
      const out: string[] = [];
      const log = createLogger(level, (l) => out.push(l));
      log.error('e');
      log.info('i');
      log.debug('d');
      return out.map((l) => l.split(' ')[1]);
    };
    expect(written('silent')).toEqual([]);
    expect(written('error')).toEqual(['error']);
    expect(written('info')).toEqual(['error', 'info']);
    expect(written('debug')).toEqual(['error', 'info', 'debug']);
  });
});
