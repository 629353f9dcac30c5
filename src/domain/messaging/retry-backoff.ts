/**
 * Exponential backoff: the first retry waits up to `baseMs`, each next one up to `factor` times longer,
 * never over `maxMs`.
 */
export type BackoffPolicy = { baseMs: number; maxMs: number; factor: number };

/**
 * Milliseconds to wait before retry number `attempt` (1 for the first retry), with full jitter: a
 * uniform draw in [0, min(maxMs, baseMs × factor^(attempt − 1))). The jitter spreads retries of a failed
 * batch so they do not hit a recovering provider all at once. `random` returns a number in [0, 1).
 */
export function nextRetryDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const { baseMs, maxMs, factor } = policy;
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError('attempt must be an integer of 1 or more');
  if (!(baseMs > 0) || !(maxMs >= baseMs) || !Number.isFinite(maxMs) || !(factor >= 1)) {
    throw new RangeError('backoff policy needs 0 < baseMs <= maxMs (finite) and factor >= 1');
  }
  const draw = random();
  if (!(draw >= 0 && draw < 1)) throw new RangeError('random() must return a number in [0, 1)');
  // factor ** large overflows to Infinity, which the cap absorbs.
  const ceiling = Math.min(maxMs, baseMs * factor ** (attempt - 1));
  return Math.floor(draw * ceiling);
}
