/** Honest turnout: who counts as a voter is who is in the room, not every tablet that ever joined. */
import { afterEach, describe, expect, it } from 'vitest';
import { Presence } from '../server/presence.js';
import { PRESENT_MINUTES } from '../shared/protocol.js';
import { eligibleVoters } from '../server/voteSetup.js';
import { closeClients, gotoStep, joinDevice, newBallotId, openVote, startedSession, submitChoices } from './helpers/clients.js';
import { useTestServer } from './helpers/setup.js';

const server = useTestServer();
afterEach(closeClients);
const T0 = 1_700_000_000_000;

describe('presence', () => {
  it('a device counts while connected and for a while after it left, then not', () => {
    const connected = new Set(['a']);
    const started = T0 - 60 * 60_000;
    const presence = new Presence((id) => connected.has(id), started);
    expect(presence.isPresent('a', T0)).toBe(true);
    // Not seen since the server started: counted for the first minutes after a start only.
    expect(presence.isPresent('b', T0)).toBe(false);
    expect(presence.isPresent('b', started + 60_000)).toBe(true);
    connected.delete('a');
    presence.wentAway('a', T0);
    expect(presence.isPresent('a', T0 + (PRESENT_MINUTES * 60_000) / 2)).toBe(true);
    expect(presence.isPresent('a', T0 + PRESENT_MINUTES * 60_000)).toBe(false);
  });

  it('counts per table follow arrivals, departures, moves and absences that run out', () => {
    const connected = new Set(['a', 'b', 'c']);
    const seated = [
      { id: 'a', table: 1 },
      { id: 'b', table: 1 },
      { id: 'c', table: 2 },
    ];
    const devices = { revision: 0, seated: () => seated.map((d) => ({ ...d })) };
    const started = T0 - 60 * 60_000;
    const presence = new Presence((id) => connected.has(id), started);
    const counts = (now = T0) => Object.fromEntries(presence.presentByTable('s', devices, now));
    expect(counts()).toEqual({ 1: 2, 2: 1 });
    connected.delete('b');
    presence.wentAway('b', T0);
    // Away, but for less than the window: still counted.
    expect(counts(T0 + 1000)).toEqual({ 1: 2, 2: 1 });
    // The absence runs out with no event.
    expect(counts(T0 + PRESENT_MINUTES * 60_000)).toEqual({ 1: 1, 2: 1 });
    // A device moves: the devices' revision changes.
    seated[0]!.table = 2;
    devices.revision++;
    expect(counts(T0 + PRESENT_MINUTES * 60_000)).toEqual({ 2: 2 });
    connected.add('b');
    presence.arrived('b');
    expect(counts(T0 + PRESENT_MINUTES * 60_000)).toEqual({ 1: 1, 2: 2 });
  });

  it('eligible voters: present devices per table, never fewer than the ballots cast there, seats where a tablet is shared', async () => {
    const { s, fac } = await startedSession(server, { tables: 3 });
    const devices = await Promise.all([1, 1, 1, 2, 2].map((table) => joinDevice(server, s, table)));
    await gotoStep(fac, 'stemmen');
    const vote = await openVote(fac, { method: 'recommendations', threshold: 70, source: 'recommendations', recommendations: ['Meer bankjes in het park'] });
    // Two of table 1 vote; then all of table 1 leave the room for good.
    for (const d of devices.slice(0, 2)) expect(await submitChoices(d, vote.id, newBallotId(), { stances: {} })).toMatchObject({ ok: true });
    const gone = new Set(devices.slice(0, 3).map((d) => d.deviceId));
    const longAgo = Date.now() - 2 * PRESENT_MINUTES * 60_000;
    const present = new Presence((id) => !gone.has(id), longAgo).presentByTable(s.id, server.services.devices);
    const everyone = new Presence(() => true, longAgo).presentByTable(s.id, server.services.devices);
    // Table 1: 0 present but 2 voted → 2; table 2: 2 present → 2.
    expect(eligibleVoters(server.services, s.id, present, vote.id)).toBe(4);
    expect(eligibleVoters(server.services, s.id, everyone, vote.id)).toBe(5);
    // Table 3 shares one tablet with 6 seats: its seats count, present or not.
    server.services.tables.setSeats(s.id, 3, 6);
    expect(eligibleVoters(server.services, s.id, present, vote.id)).toBe(10);
  });
});
