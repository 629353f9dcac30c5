/**
 * A token bucket: `ratePerSecond` tokens drip in continuously up to `burst`; each message takes one.
 * Time is passed in (milliseconds), so the bucket is deterministic and testable without waiting.
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  #tokens: number;
  #at: number;

  /** Starts full at time `now`. The rate must be positive and the burst at least 1. */
  constructor(ratePerSecond: number, burst: number, now: number) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
      throw new RangeError('ratePerSecond must be a positive finite number');
    }
    if (!(burst >= 1) || !Number.isFinite(burst)) throw new RangeError('burst must be at least 1');
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.#tokens = burst;
    this.#at = now;
  }

  #refill(now: number): void {
    // A clock that steps back adds nothing and does not rewind the bucket.
    if (now > this.#at) {
      this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) * this.ratePerSecond) / 1000);
      this.#at = now;
    }
  }

  /** Tokens available at `now` (fractional). */
  available(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  /** Takes `count` tokens if that many are available at `now`; answers whether it did. */
  take(count: number, now: number): boolean {
    this.#refill(now);
    if (count > this.#tokens) return false;
    this.#tokens -= count;
    return true;
  }

  /** Milliseconds from `now` until `count` tokens are available (0 when they already are). */
  msUntil(count: number, now: number): number {
    if (count > this.burst) throw new RangeError('count exceeds the burst size');
    this.#refill(now);
    const missing = count - this.#tokens;
    return missing <= 0 ? 0 : Math.ceil((missing * 1000) / this.ratePerSecond);
  }
}
