/**
 * The token bucket behind the per-connection limit, on a clock the test moves by hand, and the
 * per-address join limit, in memory on faked time and in a real Redis shared by two nodes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { addressKey, joinLimit, TokenBucket, type GoAhead, type JoinGuard, type Refusal } from '../server/rateLimit.js';
import { connectRedis, type RedisClient } from '../server/hosted/redis.js';
import { createLogger } from '../server/log.js';
import { redisAvailable, redisReady, startRedis, type RedisProcess } from './helpers/redis.js';

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

  it('takes a cost of several tokens only when all are there', () => {
    const bucket = new TokenBucket({ capacity: 5, perSecond: 1 }, manualClock());
    expect(bucket.take(4)).toBe(true);
    expect(bucket.take(2)).toBe(false);
    expect(bucket.tokens).toBe(1);
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

const limits = { joinsPerMinute: 6, joinFailuresPerMinute: 3 };

function mustPass(go: GoAhead | Refusal): GoAhead {
  if ('retryAfterMs' in go) throw new Error(`refused, retry after ${go.retryAfterMs} ms`);
  return go;
}

/** The rules every join guard keeps, whichever store holds its counts. */
function joinRules(guard: () => JoinGuard, advance: (ms: number) => Promise<void>) {
  it('allows a few wrong codes a minute per address, then refuses everything from it for a while', async () => {
    const g = guard();
    for (let i = 0; i < 3; i++) mustPass(await g.begin('10.0.0.9')).settle(404);
    const refused = await g.begin('10.0.0.9');
    expect(refused).toEqual({ retryAfterMs: expect.any(Number) as number });
    expect((refused as Refusal).retryAfterMs).toBeGreaterThan(55_000);
    expect((refused as Refusal).retryAfterMs).toBeLessThanOrEqual(60_000);
    // Another address is not affected.
    mustPass(await g.begin('10.0.0.10'));
    await advance(60_000);
    mustPass(await g.begin('10.0.0.9'));
  });

  it('does not count right codes as guesses, but caps all joins per address', async () => {
    const g = guard();
    for (let i = 0; i < 6; i++) {
      const go = mustPass(await g.begin('10.0.0.9'));
      go.settle(201);
      // The reward is sent on its way; let it land before the next request.
      await advance(0);
    }
    expect(await g.begin('10.0.0.9')).toMatchObject({ retryAfterMs: expect.any(Number) as number });
  });

  it('counts the addresses of one IPv6 network together', async () => {
    const g = guard();
    for (let i = 1; i <= 3; i++) mustPass(await g.begin(`2001:db8:5:6::${i}`)).settle(404);
    expect(await g.begin('2001:db8:5:6:ffff::9')).toMatchObject({ retryAfterMs: expect.any(Number) as number });
    mustPass(await g.begin('2001:db8:5:7::1'));
  });

  it('counts guesses in flight before their answers are known', async () => {
    const g = guard();
    const inFlight = await Promise.all([1, 2, 3, 4, 5].map(() => g.begin('10.0.0.9')));
    expect(inFlight.filter((go) => 'settle' in go)).toHaveLength(3);
  });
}

describe('addressKey', () => {
  it('counts an IPv6 network by its /64, and IPv4 by its address', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002::9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('0:0:0:0:0:ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(addressKey('2001:DB8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
  });
});

describe('joinLimit in memory (one laptop)', () => {
  beforeAll(() => void vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] }));
  afterAll(() => void vi.useRealTimers());
  joinRules(
    () => joinLimit(limits),
    (ms) => vi.advanceTimersByTimeAsync(ms).then(() => undefined),
  );
});

describe.skipIf(!redisAvailable)('joinLimit in Redis (nodes that share it)', () => {
  let redis: RedisProcess;
  const clients: RedisClient[] = [];
  const log = createLogger('silent');
  const client = async () => {
    const c = connectRedis(redis.url, log);
    await redisReady(c);
    clients.push(c);
    return c;
  };

  // The node the shared rules run on; Redis keeps real time, so "a minute later" is the keys'
  // expiry brought forward by hand.
  let current: RedisClient;

  beforeAll(async () => {
    redis = await startRedis();
    current = connectRedis(redis.url, log);
    await redisReady(current);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await current.flushAll();
  });
  afterAll(async () => {
    await current?.close();
    await redis?.stop();
  });

  joinRules(
    () => joinLimit(limits, current),
    async (ms) => {
      if (ms === 0) return;
      for (const key of await current.keys('tafelronde:join-*')) await current.pExpire(key, 1);
      await vi.waitFor(async () => expect(await current.keys('tafelronde:join-*')).toEqual([]));
    },
  );

  it('one address meets one limit across two nodes', async () => {
    const [a, b] = [joinLimit(limits, await client()), joinLimit(limits, await client())];
    mustPass(await a.begin('10.0.0.9')).settle(404);
    mustPass(await b.begin('10.0.0.9')).settle(404);
    mustPass(await a.begin('10.0.0.9')).settle(404);
    expect(await b.begin('10.0.0.9')).toMatchObject({ retryAfterMs: expect.any(Number) as number });
    expect(await a.begin('10.0.0.9')).toMatchObject({ retryAfterMs: expect.any(Number) as number });
  });

  // Paused (or cut off): the connection stays open and the client still says it is ready, so
  // each call times out. Gone: the client knows at once. Either way the node counts in memory:
  // a fresh allowance there, and still a limit, without waiting for Redis.
  const outages: { what: string; begin: (redis: RedisProcess, c: RedisClient) => Promise<void> | void }[] = [
    {
      what: 'stops answering (paused, cut off)',
      begin: (redis, c) => {
        redis.child.kill('SIGSTOP');
        expect(c.isReady).toBe(true);
      },
    },
    {
      what: 'goes away',
      begin: async (redis, c) => {
        redis.child.kill('SIGKILL');
        await vi.waitFor(() => expect(c.isReady).toBe(false));
      },
    },
  ];

  it.each(outages)('when Redis $what, each node goes on limiting on its own, without waiting for it', async ({ begin }) => {
    const own = await startRedis();
    try {
      const c = connectRedis(own.url, log);
      clients.push(c);
      await redisReady(c);
      const guard = joinLimit(limits, c);
      mustPass(await guard.begin('10.0.0.7')).settle(404);
      await begin(own, c);
      const passed = [];
      for (let i = 0; i < 5; i++) passed.push('settle' in (await guard.begin('10.0.0.7')));
      expect(passed).toEqual([true, true, true, false, false]);
    } finally {
      await own.stop();
    }
  });
});
