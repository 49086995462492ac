/** The token bucket and the keyed store behind every rate limit, on a clock the test moves by hand. */
import { describe, expect, it } from 'vitest';
import { joinLimit, RateLimiter, TokenBucket } from '../server/rateLimit.js';

function manualClock(start = 1_000_000) {
  let t = start;
  const now = () => t;
  return Object.assign(now, { advance: (ms: number) => (t += ms) });
}

describe('TokenBucket', () => {
  it('lets a burst up to its capacity through, then refuses', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ capacity: 3, perSecond: 1 }, clock);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });

  it('refills at its rate and never beyond its capacity', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ capacity: 2, perSecond: 4 }, clock);
    bucket.take();
    bucket.take();
    expect(bucket.take()).toBe(false);
    clock.advance(250); // one token
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    clock.advance(60_000);
    expect(bucket.tokens).toBe(2);
    expect(bucket.full).toBe(true);
  });

  it('holds a sustained flood to its rate', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ capacity: 60, perSecond: 30 }, clock);
    let passed = 0;
    // 10 seconds of 1000 attempts a second.
    for (let ms = 0; ms < 10_000; ms++) {
      if (bucket.take()) passed++;
      if (bucket.take()) passed++;
      clock.advance(1);
    }
    expect(passed).toBeGreaterThanOrEqual(60 + 30 * 10 - 1);
    expect(passed).toBeLessThanOrEqual(60 + 30 * 10);
  });

  it('says how long until a token is back', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ capacity: 1, perSecond: 0.5 }, clock);
    expect(bucket.retryAfterMs()).toBe(0);
    bucket.take();
    expect(bucket.retryAfterMs()).toBe(2000);
    clock.advance(1500);
    expect(bucket.retryAfterMs()).toBe(500);
    expect(bucket.retryAfterMs(3)).toBe(4500);
  });

  it('takes a cost of several tokens only when all are there', () => {
    const bucket = new TokenBucket({ capacity: 5, perSecond: 1 }, manualClock());
    expect(bucket.take(4)).toBe(true);
    expect(bucket.take(2)).toBe(false);
    expect(bucket.tokens).toBe(1);
  });

  it('gives tokens back, up to its capacity', () => {
    const bucket = new TokenBucket({ capacity: 2, perSecond: 1 }, manualClock());
    bucket.take();
    bucket.refund();
    bucket.refund();
    expect(bucket.tokens).toBe(2);
  });

  it('does not run backwards when the clock does', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ capacity: 2, perSecond: 1 }, clock);
    bucket.take();
    bucket.take();
    clock.advance(-10_000);
    expect(bucket.take()).toBe(false);
    clock.advance(1000);
    expect(bucket.take()).toBe(true);
  });

  it('refuses a rule without capacity or rate', () => {
    expect(() => new TokenBucket({ capacity: 0, perSecond: 1 })).toThrow(RangeError);
    expect(() => new TokenBucket({ capacity: 1, perSecond: 0 })).toThrow(RangeError);
    expect(() => new TokenBucket({ capacity: Number.NaN, perSecond: 1 })).toThrow(RangeError);
  });
});

describe('RateLimiter', () => {
  it('keeps one bucket per key', () => {
    const limiter = new RateLimiter({ capacity: 2, perSecond: 1 }, { now: manualClock() });
    expect([limiter.take('a').ok, limiter.take('a').ok, limiter.take('a').ok]).toEqual([true, true, false]);
    expect(limiter.take('b').ok).toBe(true);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 1000 });
  });

  it('check looks without taking, and knows nothing of keys it never saw', () => {
    const limiter = new RateLimiter({ capacity: 1, perSecond: 1 }, { now: manualClock() });
    expect(limiter.check('a')).toEqual({ ok: true, retryAfterMs: 0 });
    expect(limiter.size).toBe(0);
    limiter.take('a');
    expect(limiter.check('a').ok).toBe(false);
    limiter.refund('a');
    expect(limiter.check('a').ok).toBe(true);
  });

  it('sweeps buckets that are full again, as it is used', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ capacity: 2, perSecond: 1 }, { now: clock, sweepEveryMs: 10_000 });
    for (let i = 0; i < 100; i++) limiter.take(`ip${i}`);
    expect(limiter.size).toBe(100);
    clock.advance(5_000);
    limiter.take('late');
    expect(limiter.size).toBe(101); // not yet time to sweep
    clock.advance(5_000);
    limiter.take('later');
    // Every bucket refilled; only the one just used is left.
    expect(limiter.size).toBe(1);
  });

  it('never holds more than maxKeys buckets, forgetting the oldest first', () => {
    const limiter = new RateLimiter({ capacity: 1, perSecond: 0.001 }, { now: manualClock(), maxKeys: 3 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) limiter.take(key);
    expect(limiter.size).toBe(3);
    // 'a' was forgotten: it starts afresh. 'e' was kept: it is still empty.
    expect(limiter.check('e').ok).toBe(false);
    expect(limiter.check('a').ok).toBe(true);
  });
});

describe('joinLimit', () => {
  const limits = { joinsPerMinute: 6, joinFailuresPerMinute: 3 };

  it('allows a few wrong codes a minute per address, then refuses everything from it for a while', () => {
    const clock = manualClock();
    const guard = joinLimit(limits, clock);
    for (let i = 0; i < 3; i++) {
      const go = guard.begin('10.0.0.9');
      if ('retryAfterMs' in go) throw new Error('refused too soon');
      go.settle(404);
    }
    const refused = guard.begin('10.0.0.9');
    expect(refused).toEqual({ ok: false, retryAfterMs: 20_000 });
    // Another address is not affected.
    expect('settle' in guard.begin('10.0.0.10')).toBe(true);
    clock.advance(20_000);
    expect('settle' in guard.begin('10.0.0.9')).toBe(true);
  });

  it('does not count right codes as guesses, but caps all joins per address', () => {
    const guard = joinLimit(limits, manualClock());
    for (let i = 0; i < 6; i++) {
      const go = guard.begin('10.0.0.9');
      if ('retryAfterMs' in go) throw new Error(`join ${i} refused`);
      go.settle(201);
    }
    expect(guard.begin('10.0.0.9')).toMatchObject({ ok: false });
  });

  it('counts guesses in flight before their answers are known', () => {
    const guard = joinLimit(limits, manualClock());
    const inFlight = [guard.begin('10.0.0.9'), guard.begin('10.0.0.9'), guard.begin('10.0.0.9')];
    expect(inFlight.every((g) => 'settle' in g)).toBe(true);
    expect(guard.begin('10.0.0.9')).toMatchObject({ ok: false });
  });
});
