/**
 * Flaky Wi-Fi: a connection that drops comes back by itself (socket.io connection state
 * recovery), with the full state pushed again and with its role and rooms as they are now; a
 * tablet that sleeps or reloads comes back with its stored token and is counted once.
 */
import { describe, expect, it, vi } from 'vitest';
import { Events, type TableOverview } from '../shared/protocol.js';
import {
  connectClient,
  createSession,
  emitAck,
  emitOk,
  facilitator,
  joinDevice,
  startSession,
  viewer,
  WAIT,
  type Client,
  type DeviceClient,
} from './helpers/clients.js';
import { useTestServer } from './helpers/setup.js';

const server = useTestServer();

/** Drops the client's transport the way lost Wi-Fi does, and waits until it is back by itself. */
async function dropAndRecover(client: Client): Promise<void> {
  const before = client.sessionStates.length;
  client.socket.io.engine.close();
  await vi.waitFor(() => {
    expect(client.socket.connected).toBe(true);
    expect(client.sessionStates.length).toBeGreaterThan(before);
  }, WAIT);
}

/** Keeps a client from reconnecting on its own, drops it, and returns how to bring it back. */
async function dropAndHold(client: Client): Promise<() => Promise<void>> {
  client.socket.io.reconnection(false);
  client.socket.io.engine.close();
  await vi.waitFor(() => expect(client.socket.connected).toBe(false), WAIT);
  return async () => {
    const before = client.sessionStates.length;
    client.socket.io.reconnection(true);
    client.socket.connect();
    await vi.waitFor(() => {
      expect(client.socket.connected).toBe(true);
      expect(client.sessionStates.length).toBeGreaterThan(before);
    }, WAIT);
  };
}

const rowOf = (fac: Client, table: number): TableOverview | undefined => fac.lastOverview()?.find((r) => r.table === table);

describe('a dropped connection', () => {
  it('is recovered and sent the full state again: session, device state, tally', async () => {
    const s = await createSession(server, { tables: 2 });
    const fac = await facilitator(server, s);
    await startSession(fac);
    const d = await joinDevice(server, s, 1);
    const devicesSeen = d.deviceStates.length;

    await dropAndRecover(d);

    expect(d.socket.recovered).toBe(true);
    expect(d.deviceStates.length).toBeGreaterThan(devicesSeen);
    expect(d.deviceStates.at(-1)).toMatchObject({ table: 1 });
    expect(d.lastSessionState()!.run.status).toBe('running');
    expect(d.lastSessionState()).toEqual(fac.lastSessionState());
  });

  it('keeps its role: a recovered device may still do what a device does, and nothing more', async () => {
    const s = await createSession(server, { tables: 2 });
    const fac = await facilitator(server, s);
    await startSession(fac);
    const d = await joinDevice(server, s, 1);
    await dropAndRecover(d);
    expect(d.socket.recovered).toBe(true);
    expect(await emitAck(d.socket, Events.tableSignal, { signal: 'help', on: true })).toMatchObject({ ok: true });
    expect(await emitAck(d.socket, Events.stepNext, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(server.services.tables.signals(s.id).get(1)).toMatchObject({ help: true });
  });

  it('keeps its rooms: a recovered facilitator hears the overview, a recovered tablet hears its table', async () => {
    const s = await createSession(server, { tables: 2 });
    const fac = await facilitator(server, s);
    await startSession(fac);
    const d = await joinDevice(server, s, 1);
    const neighbour = await joinDevice(server, s, 1);
    await dropAndRecover(fac);
    await dropAndRecover(d);
    expect([fac.socket.recovered, d.socket.recovered]).toEqual([true, true]);

    // A signal at the table reaches the recovered tablet (table room) and the facilitator (facilitators' room).
    await emitOk(neighbour.socket, Events.tableSignal, { signal: 'ready', on: true });
    await expect.poll(() => d.deviceStates.at(-1)?.signals.ready).toBe(true);
    await expect.poll(() => rowOf(fac, 1)?.ready).toBe(true);
  });

  it('of a tablet moved while it was away comes back at its new table, not also at the old one', async () => {
    const s = await createSession(server, { tables: 2 });
    const fac = await facilitator(server, s);
    await startSession(fac);
    const d = await joinDevice(server, s, 1);
    const atOne = await joinDevice(server, s, 1);
    const atTwo = await joinDevice(server, s, 2);
    const label = d.deviceStates.at(-1)!.label;

    const reconnect = await dropAndHold(d);
    // The move must happen while the server has the tablet as gone, not just the tablet itself.
    await expect.poll(() => rowOf(fac, 1)?.devices.find((x) => x.label === label)?.connected).toBe(false);
    await emitOk(fac.socket, Events.deviceMove, { label, table: 2 });
    await reconnect();
    expect(d.socket.recovered).toBe(true);
    await expect.poll(() => d.deviceStates.at(-1)?.table).toBe(2);

    // Table 1 changes, then table 2: the tablet hears only table 2's change.
    const seen = d.deviceStates.length;
    await emitOk(atOne.socket, Events.tableSignal, { signal: 'help', on: true });
    await emitOk(atTwo.socket, Events.tableSignal, { signal: 'ready', on: true });
    await expect.poll(() => d.deviceStates.at(-1)?.signals).toEqual({ ready: true, help: false });
    expect(d.deviceStates.slice(seen).map((x) => x.signals)).toEqual([{ ready: true, help: false }]);
  });

  it('of a viewer is recovered too, and gets the state it missed', async () => {
    const s = await createSession(server, { tables: 2 });
    const fac = await facilitator(server, s);
    const view = await viewer(server, s.id);
    const reconnect = await dropAndHold(view);
    await startSession(fac);
    await emitOk(fac.socket, Events.projectorSet, { theme: 'light' });
    await reconnect();
    expect(view.socket.recovered).toBe(true);
    expect(view.lastSessionState()).toMatchObject({ run: { status: 'running' }, projector: { theme: 'light' } });
  });

  it('that cannot be recovered (the server forgot it) still gets a full state as a new connection', async () => {
    const s = await createSession(server, { tables: 2 });
    const fac = await facilitator(server, s);
    await startSession(fac);
    const d = await joinDevice(server, s, 2);
    await server.restart(); // the recovery state lived in the old process's memory
    await vi.waitFor(
      () => {
        expect(d.socket.connected).toBe(true);
        expect(d.deviceStates.at(-1)).toMatchObject({ table: 2 });
      },
      { ...WAIT, timeout: 10_000 },
    );
    expect(d.socket.recovered).toBe(false);
    expect(d.lastSessionState()!.run.status).toBe('running');
  });
});

describe('a tablet that sleeps or reloads', () => {
  async function seated() {
    const s = await createSession(server, { tables: 2 });
    const fac = await facilitator(server, s);
    const d = await joinDevice(server, s, 1);
    await expect.poll(() => rowOf(fac, 1)?.connected).toBe(1);
    return { s, fac, d };
  }
  const again = (d: DeviceClient) => connectClient(server, { role: 'device', sessionId: d.sessionId, token: d.token });

  it('reloads: the new page with the stored token is at its table and counted once', async () => {
    const { fac, d } = await seated();
    const label = d.deviceStates.at(-1)!.label;
    d.close();
    const reloaded = await again(d);
    expect(reloaded.deviceStates.at(-1)).toMatchObject({ table: 1, label });
    await expect.poll(() => rowOf(fac, 1)).toMatchObject({ connected: 1, joined: 1, devices: [{ label, connected: true }] });
  });

  it('wakes up while its old connection still lingers: two connections, one device', async () => {
    const { fac, d } = await seated();
    const label = d.deviceStates.at(-1)!.label;
    const woken = await again(d);
    await emitOk(woken.socket, Events.tableSignal, { signal: 'help', on: true });
    await expect.poll(() => rowOf(fac, 1)?.help).toBe(true);
    expect(rowOf(fac, 1)).toMatchObject({ connected: 1, joined: 1, devices: [{ label, connected: true }] });
    // The old connection goes at last: the device is still online through the new one.
    d.close();
    await emitOk(woken.socket, Events.tableSignal, { signal: 'help', on: false });
    await expect.poll(() => rowOf(fac, 1)?.help).toBe(false);
    expect(rowOf(fac, 1)).toMatchObject({ connected: 1, joined: 1 });
    woken.close();
    await expect.poll(() => rowOf(fac, 1)).toMatchObject({ connected: 0, joined: 1, devices: [{ label, connected: false }] });
  });

  it('counts once in the vote turnout, however often it reconnects', async () => {
    const { s, fac, d } = await seated();
    await dropAndRecover(d);
    const second = await again(d);
    await dropAndRecover(second);
    expect(server.services.devices.countJoined(s.id)).toBe(1);
    await expect.poll(() => rowOf(fac, 1)).toMatchObject({ connected: 1, joined: 1 });
  });
});
