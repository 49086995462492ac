/** The step timer's arithmetic and the clock estimate every screen uses (shared/clock.ts). */
import { describe, expect, it } from 'vitest';
import { clockOffset, extendTimer, formatTimeLeft, pauseTimer, resumeTimer, startTimer, timeLeft, type Timer } from '../shared/clock.js';

const T0 = 1_700_000_000_000;
const MIN = 60_000;

describe('startTimer', () => {
  it('runs until now + duration', () => {
    const t = startTimer(10 * MIN, T0);
    expect(t).toEqual({ durationMs: 10 * MIN, running: true, endsAt: T0 + 10 * MIN, remainingMs: 10 * MIN });
    expect(timeLeft(t, T0)).toBe(10 * MIN);
    expect(timeLeft(t, T0 + 4 * MIN)).toBe(6 * MIN);
  });

  it('does not run for a step without a timer (duration 0)', () => {
    const t = startTimer(0, T0);
    expect(t).toEqual({ durationMs: 0, running: false, endsAt: null, remainingMs: 0 });
    expect(timeLeft(t, T0 + MIN)).toBe(0);
  });
});

describe('timeLeft', () => {
  it('goes below zero when the time is up: the timer does not stop the work', () => {
    const t = startTimer(MIN, T0);
    expect(timeLeft(t, T0 + MIN)).toBe(0);
    expect(timeLeft(t, T0 + MIN + 42_000)).toBe(-42_000);
  });
});

describe('pauseTimer and resumeTimer', () => {
  it('freezes what is left while paused, and counts on from there after resume', () => {
    const running = startTimer(10 * MIN, T0);
    const paused = pauseTimer(running, T0 + 3 * MIN);
    expect(paused).toEqual({ durationMs: 10 * MIN, running: false, endsAt: null, remainingMs: 7 * MIN });
    // However long the pause lasts, the time left stays the same.
    expect(timeLeft(paused, T0 + 3 * MIN)).toBe(7 * MIN);
    expect(timeLeft(paused, T0 + 60 * MIN)).toBe(7 * MIN);

    const resumed = resumeTimer(paused, T0 + 60 * MIN);
    expect(resumed).toEqual({ durationMs: 10 * MIN, running: true, endsAt: T0 + 67 * MIN, remainingMs: 7 * MIN });
    expect(timeLeft(resumed, T0 + 62 * MIN)).toBe(5 * MIN);
  });

  it('pausing a paused timer and resuming a running one change nothing', () => {
    const running = startTimer(10 * MIN, T0);
    expect(resumeTimer(running, T0 + MIN)).toBe(running);
    const paused = pauseTimer(running, T0 + MIN);
    expect(pauseTimer(paused, T0 + 5 * MIN)).toBe(paused);
  });

  it('keeps a negative time left through a pause', () => {
    const paused = pauseTimer(startTimer(MIN, T0), T0 + MIN + 5_000);
    expect(paused.remainingMs).toBe(-5_000);
    expect(timeLeft(paused, T0 + 10 * MIN)).toBe(-5_000);
    expect(timeLeft(resumeTimer(paused, T0 + 10 * MIN), T0 + 10 * MIN)).toBe(-5_000);
  });

  it('never starts a step without a timer', () => {
    const none = startTimer(0, T0);
    expect(resumeTimer(none, T0 + MIN)).toBe(none);
  });
});

describe('extendTimer', () => {
  it('adds time to a running timer and to its duration', () => {
    const t = extendTimer(startTimer(10 * MIN, T0), 5 * MIN, T0 + 2 * MIN);
    expect(t).toEqual({ durationMs: 15 * MIN, running: true, endsAt: T0 + 15 * MIN, remainingMs: 13 * MIN });
    expect(timeLeft(t, T0 + 2 * MIN)).toBe(13 * MIN);
  });

  it('adds time to a paused timer, which stays paused', () => {
    const paused = pauseTimer(startTimer(10 * MIN, T0), T0 + 4 * MIN);
    const t = extendTimer(paused, MIN, T0 + 30 * MIN);
    expect(t).toEqual({ durationMs: 11 * MIN, running: false, endsAt: null, remainingMs: 7 * MIN });
  });

  it('counts the extra time from now when the time was already up', () => {
    const over: Timer = startTimer(MIN, T0);
    const now = T0 + 3 * MIN; // two minutes over time
    expect(timeLeft(over, now)).toBe(-2 * MIN);
    const t = extendTimer(over, MIN, now);
    expect(t.endsAt).toBe(now + MIN);
    expect(timeLeft(t, now)).toBe(MIN);
    expect(t.durationMs).toBe(2 * MIN);
    // Paused over time: the same.
    const pausedOver = pauseTimer(over, now);
    expect(extendTimer(pausedOver, 30_000, now + MIN).remainingMs).toBe(30_000);
  });
});

describe('formatTimeLeft', () => {
  it.each([
    [0, '0:00'],
    [1, '0:01'],
    [999, '0:01'],
    [1000, '0:01'],
    [1001, '0:02'],
    [59_000, '0:59'],
    [60_000, '1:00'],
    [12 * MIN + 5_000, '12:05'],
    [125 * MIN, '125:00'],
    // The first second over still reads "0:00" (a "-0:00" would look like a glitch).
    [-1, '0:00'],
    [-999, '0:00'],
    [-1000, '-0:01'],
    [-42_000, '-0:42'],
    [-42_500, '-0:42'],
    [-(3 * MIN + 7_000), '-3:07'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatTimeLeft(ms)).toBe(text);
  });
});

describe('clockOffset', () => {
  it('is 0 without samples', () => {
    expect(clockOffset([])).toBe(0);
  });

  it('takes the midpoint of a round trip', () => {
    // Sent at 1000, answered at 1100 (local); the server said 5050 in the middle.
    expect(clockOffset([{ sentAt: 1000, receivedAt: 1100, serverNow: 5050 }])).toBe(4000);
  });

  it('trusts the sample with the shortest round trip, wherever it is in the list', () => {
    const samples = [
      { sentAt: 0, receivedAt: 400, serverNow: 10_500 }, // rtt 400, offset 10300
      { sentAt: 1000, receivedAt: 1020, serverNow: 11_010 }, // rtt 20, offset 10000
      { sentAt: 2000, receivedAt: 2300, serverNow: 12_000 }, // rtt 300, offset 9850
    ];
    expect(clockOffset(samples)).toBe(10_000);
    expect(clockOffset([...samples].reverse())).toBe(10_000);
  });

  it('works for a server clock behind ours', () => {
    expect(clockOffset([{ sentAt: 50_000, receivedAt: 50_010, serverNow: 20_005 }])).toBe(-30_000);
  });
});
