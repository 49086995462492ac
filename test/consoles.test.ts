/**
 * One facilitator at a time: a second console sees the first, may take over, and from then on
 * the first is refused (and told) instead of changing the session silently.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Events, type ConsoleActed, type ConsoleControl } from '../shared/protocol.js';
import { closeClients, emitAck, emitOk, facilitator, startedSession, stepIdOf, waitForState } from './helpers/clients.js';
import { useTestServer } from './helpers/setup.js';

const server = useTestServer();
afterEach(closeClients);

function listen(client: { socket: { on(e: string, f: (x: never) => void): void } }) {
  const control: ConsoleControl[] = [];
  const acted: ConsoleActed[] = [];
  client.socket.on(Events.consoleControl, (c: never) => control.push(c));
  client.socket.on(Events.consoleActed, (a: never) => acted.push(a));
  return { control, acted };
}

describe('facilitator consoles', () => {
  it('a second console sees the first, takes over, and the first is refused and told', async () => {
    const { s, fac: first } = await startedSession(server);
    const firstHears = listen(first);
    const second = await facilitator(server, s);
    const secondHears = listen(second);
    await expect.poll(() => firstHears.control.at(-1)).toEqual({ consoles: 2, controller: null });

    // Before anyone takes over, either may act; the other hears of it.
    await emitOk(second.socket, Events.timerPause, {});
    await expect.poll(() => firstHears.acted.at(-1)).toEqual({ event: 'timer:pause' });
    expect(secondHears.acted).toEqual([]);

    const taken = await emitOk<ConsoleControl>(second.socket, Events.consoleTakeover, {});
    expect(taken).toEqual({ consoles: 2, controller: second.socket.id });
    await expect.poll(() => firstHears.control.at(-1)?.controller).toBe(second.socket.id);

    const before = server.services.sessions.get(s.id)!.run;
    const refused = await emitAck(first.socket, Events.stepNext, { from: before.stepId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_in_control' } });
    expect(server.services.sessions.get(s.id)!.run).toEqual(before);
    // Reading is still fine.
    expect(await emitAck(first.socket, Events.clockSync, {})).toMatchObject({ ok: true });

    // The first takes control back; now the second is refused.
    await emitOk(first.socket, Events.consoleTakeover, {});
    await emitOk(first.socket, Events.stepNext, { from: before.stepId });
    await waitForState(second, (v) => v.run.stepId !== before.stepId);
    expect(await emitAck(second.socket, Events.timerResume, {})).toMatchObject({ ok: false, error: { code: 'not_in_control' } });

    // When the console in control goes away, any console may act again.
    first.close();
    await expect.poll(() => secondHears.control.at(-1)).toEqual({ consoles: 1, controller: null });
    await emitOk(second.socket, Events.stepGoto, { stepId: stepIdOf(second, 'inbreng') });
  });
});
