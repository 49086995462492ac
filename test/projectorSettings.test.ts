/** What the wall shows as the session and the facilitator change it (server/domain/projector.ts). */
import { describe, expect, it } from 'vitest';
import { applyCommand, onStepEntered, onVoteOpened, readProjector } from '../server/domain/projector.js';

const T0 = 1_700_000_000_000;
const fresh = readProjector({ theme: 'dark', spotlight: null });

describe('projector settings', () => {
  it('fills fields that rows written before them lack', () => {
    expect(fresh).toEqual({ theme: 'dark', spotlight: null, pinned: false, join: 'large', paging: { auto: true, turn: 0, since: 0 }, reveal: null });
  });

  it('turns pages on command and restarts the page timer; a new spotlight starts on its first page', () => {
    const turned = applyCommand(applyCommand(fresh, { page: 'next' }, T0), { page: 'next' }, T0 + 5);
    expect(turned.paging).toEqual({ auto: true, turn: 2, since: T0 + 5 });
    expect(applyCommand(turned, { page: 'previous' }, T0 + 9).paging.turn).toBe(1);
    const spot = applyCommand(turned, { spotlight: { kind: 'plenary' } }, T0 + 10);
    expect(spot.paging).toEqual({ auto: true, turn: 0, since: T0 + 10 });
    expect(applyCommand(spot, { autoPage: false }, T0 + 11).paging.auto).toBe(false);
  });

  it('reveals a result from nothing, one item at a time, or all at once', () => {
    const none = applyCommand(fresh, { reveal: 'stepwise' }, T0);
    expect(none.reveal).toBe(0);
    expect(applyCommand(applyCommand(none, { reveal: 'next' }, T0), { reveal: 'next' }, T0).reveal).toBe(2);
    expect(applyCommand(none, { reveal: 'all' }, T0).reveal).toBeNull();
  });

  it('an unpinned spotlight gives way to a new step and to a vote; a pinned one stays', () => {
    const loose = applyCommand(fresh, { spotlight: { kind: 'plenary' } }, T0);
    expect(onStepEntered(loose, T0).spotlight).toBeNull();
    expect(onVoteOpened(loose, T0).spotlight).toBeNull();
    const pinned = applyCommand(fresh, { spotlight: { kind: 'table', table: 2 }, pinned: true }, T0);
    expect(onStepEntered(pinned, T0)).toMatchObject({ spotlight: { kind: 'table', table: 2 }, pinned: true });
    expect(onVoteOpened(pinned, T0).spotlight).toEqual({ kind: 'table', table: 2 });
    // Taking the spotlight off unpins it.
    expect(applyCommand(pinned, { spotlight: null }, T0).pinned).toBe(false);
  });

  it('a reveal in progress carries into the next step, and starts over when a vote opens', () => {
    const revealing = applyCommand(applyCommand(fresh, { reveal: 'stepwise' }, T0), { reveal: 'next' }, T0);
    expect(onStepEntered(revealing, T0).reveal).toBe(1);
    expect(onVoteOpened(revealing, T0).reveal).toBeNull();
  });
});
