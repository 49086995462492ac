/**
 * Rate limits: a token bucket, and a store of buckets by key (an IP address, a connection).
 * Pure apart from the clock, which is passed in, so the tests can drive time by hand.
 *
 * A bucket holds up to `capacity` tokens and gains `perSecond` tokens a second; each action
 * takes one (or `cost`). An empty bucket refuses until enough has flowed back in: bursts up to
 * the capacity pass, a sustained flood is held to the rate.
 */

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

  /** Whether the bucket is back to full, i.e. indistinguishable from a new one. */
  get full(): boolean {
    return this.tokens >= this.rule.capacity;
  }

  /** Takes `cost` tokens if they are there; false (and nothing taken) otherwise. */
  take(cost = 1): boolean {
    this.refill();
    if (this.level < cost) return false;
    this.level -= cost;
    return true;
  }

  /** Puts back tokens taken for an action that turned out not to count. */
  refund(cost = 1): void {
    this.refill();
    this.level = Math.min(this.rule.capacity, this.level + cost);
  }

  /** Whether `cost` tokens are there, without taking them. */
  has(cost = 1): boolean {
    return this.tokens >= cost;
  }

  /** Milliseconds until `cost` tokens are there (0 if they are now). */
  retryAfterMs(cost = 1): number {
    const missing = cost - this.tokens;
    return missing <= 0 ? 0 : Math.ceil((missing / this.rule.perSecond) * 1000);
  }

  private refill() {
    const t = this.now();
    if (t > this.at) {
      this.level = Math.min(this.rule.capacity, this.level + ((t - this.at) / 1000) * this.rule.perSecond);
    }
    this.at = t;
  }
}

export interface Verdict {
  ok: boolean;
  /** When refused: how long until the same action would pass. */
  retryAfterMs: number;
}

/**
 * Buckets by key. A bucket that has refilled completely holds no information, so a sweep
 * drops it; sweeps happen as the store is used (at most once per `sweepEveryMs`), so there is
 * no timer to stop. The store never holds more than `maxKeys` buckets (the oldest go first),
 * so a flood of new keys cannot grow memory without bound.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly now: Clock;
  private lastSweep: number;

  constructor(
    readonly rule: BucketRule,
    private readonly opts: { now?: Clock; maxKeys?: number; sweepEveryMs?: number } = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.lastSweep = this.now();
  }

  /** Takes `cost` tokens from the key's bucket. */
  take(key: string, cost = 1): Verdict {
    const bucket = this.bucket(key);
    return bucket.take(cost) ? { ok: true, retryAfterMs: 0 } : { ok: false, retryAfterMs: bucket.retryAfterMs(cost) };
  }

  /** Whether the key has `cost` tokens, without taking them. */
  check(key: string, cost = 1): Verdict {
    const bucket = this.buckets.get(key);
    if (!bucket || bucket.has(cost)) return { ok: true, retryAfterMs: 0 };
    return { ok: false, retryAfterMs: bucket.retryAfterMs(cost) };
  }

  /** Puts back tokens taken for an action that turned out not to count. */
  refund(key: string, cost = 1): void {
    this.buckets.get(key)?.refund(cost);
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drops every bucket that is full again. */
  sweep(): void {
    this.lastSweep = this.now();
    for (const [key, bucket] of this.buckets) if (bucket.full) this.buckets.delete(key);
  }

  private bucket(key: string): TokenBucket {
    if (this.now() - this.lastSweep >= (this.opts.sweepEveryMs ?? 60_000)) this.sweep();
    let bucket = this.buckets.get(key);
    if (bucket) return bucket;
    const max = this.opts.maxKeys ?? 10_000;
    if (this.buckets.size >= max) {
      this.sweep();
      // Still full of busy keys: forget the oldest; at worst one of them starts afresh.
      for (const oldest of this.buckets.keys()) {
        if (this.buckets.size < max) break;
        this.buckets.delete(oldest);
      }
    }
    bucket = new TokenBucket(this.rule, this.now);
    this.buckets.set(key, bucket);
    return bucket;
  }
}

/**
 * The join routes' guard, per IP address: `joinsPerMinute` requests of any kind, and
 * `joinFailuresPerMinute` that name no session. The failure token is taken up front and given
 * back when the request succeeds, so a burst of parallel guesses cannot slip past before the
 * first answer is known. Joining with the right code uses up none of the failure allowance, so a
 * room full of tablets behind one address only meets the first limit.
 */
export function joinLimit(limits: { joinsPerMinute: number; joinFailuresPerMinute: number }, now?: Clock) {
  const all = new RateLimiter({ capacity: limits.joinsPerMinute, perSecond: limits.joinsPerMinute / 60 }, { now });
  const failures = new RateLimiter({ capacity: limits.joinFailuresPerMinute, perSecond: limits.joinFailuresPerMinute / 60 }, { now });
  return {
    /** Either how long to wait, or a go-ahead whose `settle` must be called with the answer's status. */
    begin(ip: string): { settle(status: number): void } | { retryAfterMs: number } {
      const guess = failures.check(ip);
      if (!guess.ok) return guess;
      const any = all.take(ip);
      if (!any.ok) return any;
      failures.take(ip);
      return {
        settle(status) {
          if (status < 400) failures.refund(ip);
        },
      };
    },
  };
}
