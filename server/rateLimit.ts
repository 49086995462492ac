/**
 * Rate limits. Per connection: a token bucket, in the process that holds the connection. Per
 * address: the join limit, on rate-limiter-flexible, in memory on one laptop and in Redis when
 * several nodes serve the same sessions, so an address meets one limit whichever node it reaches.
 *
 * A bucket holds up to `capacity` tokens and gains `perSecond` tokens a second; each action
 * takes one (or `cost`). An empty bucket refuses until enough has flowed back in: bursts up to
 * the capacity pass, a sustained flood is held to the rate. The clock is passed in, so the tests
 * can drive time by hand.
 */
import ipaddr, { type IPv6 } from 'ipaddr.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisClient } from './hosted/redis.js';

export interface BucketRule {
  capacity: number;
  perSecond: number;
}

export type Clock = () => number;

export class TokenBucket {
  private level: number;
  private at: number;

  constructor(
    readonly rule: BucketRule,
    private readonly now: Clock = Date.now,
  ) {
    if (!(rule.capacity > 0) || !(rule.perSecond > 0)) throw new RangeError('a bucket needs a positive capacity and rate');
    this.level = rule.capacity;
    this.at = now();
  }

  /** Tokens in the bucket now (fractional while it refills). */
  get tokens(): number {
    this.refill();
    return this.level;
  }

  /** Takes `cost` tokens if they are there; false (and nothing taken) otherwise. */
  take(cost = 1): boolean {
    this.refill();
    if (this.level < cost) return false;
    this.level -= cost;
    return true;
  }

  private refill() {
    const t = this.now();
    if (t > this.at) {
      this.level = Math.min(this.rule.capacity, this.level + ((t - this.at) / 1000) * this.rule.perSecond);
    }
    this.at = t;
  }
}

/** How long until the same request from the same address would pass. */
export interface Refusal {
  retryAfterMs: number;
}

/** A request that may go ahead; `settle` must be called with its answer's status. */
export interface GoAhead {
  settle(status: number): void;
}

export interface JoinGuard {
  begin(address: string): Promise<GoAhead | Refusal>;
}

const MINUTE_S = 60;

/**
 * The key an address is counted under. IPv6 by its /64: one home or phone network gets a whole
 * /64, so counting single addresses would give it billions of allowances. An IPv4 address seen
 * through an IPv6 socket (::ffff:a.b.c.d) counts as itself.
 */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const ip = ipaddr.process(address);
  return ip.kind() === 'ipv4'
    ? ip.toString()
    : `${(ip as IPv6).parts
        .slice(0, 4)
        .map((part) => part.toString(16))
        .join(':')}::/64`;
}

/** What the join guard asks of a counter, in memory or in Redis. */
type Counter = Pick<RateLimiterAbstract, 'get' | 'consume' | 'reward'>;

/**
 * How long a node waits for Redis before it counts in memory: Redis answers within a millisecond
 * when it is well, and one that stopped answering (paused, cut off) must not hold joins up.
 */
const REDIS_TIMEOUT_MS = 300;

/**
 * One counter per address and minute. In Redis when a client is given, with an in-memory
 * counter as insurance: if Redis is away or does not answer in time, each node goes on limiting
 * on its own rather than letting every join through, refusing every one, or waiting.
 */
function perMinute(name: string, points: number, redis: RedisClient | undefined): Counter {
  const memory = new RateLimiterMemory({ keyPrefix: `join-${name}`, points, duration: MINUTE_S });
  if (!redis) return memory;
  const shared = new RateLimiterRedis({
    storeClient: redis,
    useRedisPackage: true,
    keyPrefix: `tafelronde:join-${name}`,
    points,
    duration: MINUTE_S,
    // Not connected: count in memory at once, rather than wait for Redis to come back.
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
  return new RLWrapperTimeouts({ limiter: shared, insuranceLimiter: memory, timeoutMs: REDIS_TIMEOUT_MS });
}

/** A refused consume: how long to wait; anything else (a store error) is thrown on. */
function refusal(err: unknown): Refusal {
  if (err instanceof RateLimiterRes) return { retryAfterMs: err.msBeforeNext };
  throw err;
}

/**
 * The join routes' guard, per address: `joinsPerMinute` requests of any kind, and
 * `joinFailuresPerMinute` that name no session. The failure point is taken up front and given
 * back when the request succeeds, so a burst of parallel guesses cannot slip past before the
 * first answer is known. Joining with the right code uses up none of the failure allowance, so a
 * room full of tablets behind one address only meets the first limit. Both count per minute
 * from an address's first request.
 */
export function joinLimit(limits: { joinsPerMinute: number; joinFailuresPerMinute: number }, redis?: RedisClient): JoinGuard {
  const all = perMinute('all', limits.joinsPerMinute, redis);
  const failures = perMinute('failures', limits.joinFailuresPerMinute, redis);
  return {
    async begin(address) {
      const key = addressKey(address);
      const guesses = await failures.get(key);
      if (guesses && guesses.remainingPoints <= 0) return { retryAfterMs: guesses.msBeforeNext };
      try {
        await all.consume(key);
        await failures.consume(key);
      } catch (err) {
        return refusal(err);
      }
      return {
        settle(status) {
          // A lost reward only makes the limit stricter for a minute; it must not fail the request.
          if (status < 400) failures.reward(key).catch(() => undefined);
        },
      };
    },
  };
}
