/**
 * Per-caller request rate limit: one token bucket per key (a hash of the bearer token, or the
 * remote address of an anonymous caller), in memory. A bucket holds `burst` requests and refills
 * at `perSecond`; a request that finds it empty is refused (HTTP 429). Buckets that have refilled
 * completely carry no information and are dropped, so memory stays bounded by the callers of the
 * last `burst / perSecond` seconds.
 */
export interface RateLimitSettings {
  /** Sustained requests per second per caller; 0 disables the limit. */
  perSecond: number;
  /** Requests a caller may send at once before the sustained rate applies. */
  burst: number;
}

/** A refusal: how long until the next request would be accepted. */
export interface RateLimited {
  retryAfterSeconds: number;
}

/** Token buckets keyed by caller; `now` (ms) is injectable so tests need no timing. */
export class RateLimiter {
  readonly #settings: RateLimitSettings;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(settings: RateLimitSettings, now: () => number = Date.now) {
    this.#settings = settings;
    this.#now = now;
  }

  /** Takes one request for `key`; undefined when allowed, the wait when refused. */
  take(key: string): RateLimited | undefined {
    const { perSecond, burst } = this.#settings;
    if (perSecond <= 0) return undefined;
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    if (this.#buckets.size > 10_000) this.#sweep(now);
    if (bucket.tokens < 1) {
      this.#buckets.set(key, bucket);
      return { retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
    }
    bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    return undefined;
  }

  /** Number of callers currently tracked. */
  get size(): number {
    return this.#buckets.size;
  }

  #sweep(now: number): void {
    const { perSecond, burst } = this.#settings;
    for (const [key, b] of this.#buckets) if (b.tokens + ((now - b.at) / 1000) * perSecond >= burst) this.#buckets.delete(key);
  }
}
