// What becomes of a delivery after one attempt: sent, queued again for a later retry, or dead with the
// reason. A retry waits with exponential backoff and full jitter, at least as long as the provider
// asked, and gives up after a set number of attempts so that nothing retries forever.
import { type BackoffPolicy, nextRetryDelay } from '../messaging/retry-backoff.ts';

/**
 * Where a delivery stands. `queued`: waiting for a worker (first attempt or a retry). `sending`: claimed
 * by a worker under a lease. `sent`: the provider took it. `delivered` / `failed`: the provider's receipt
 * said it arrived / did not. `dead`: given up on, with a reason code.
 */
export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** States a delivery does not leave (a `sent` one may still receive a receipt). */
export const FINAL_STATES: ReadonlySet<DeliveryState> = new Set(['delivered', 'failed', 'dead']);

/** A channel's answer to one send, as the outbox reads it (the channels' SendResult has this shape). */
export type SendVerdict =
  | { status: 'sent'; providerId?: string }
  | { status: 'retry'; code: string; retryAfterMs?: number; detail?: string }
  | { status: 'failed'; code: string; detail?: string }
  | { status: 'gone'; code: string };

/** The retry rule: backoff between attempts and how many attempts in all. */
export type RetryPolicy = BackoffPolicy & { maxAttempts: number };

/**
 * The decision after one attempt. `fallback`: the person should be tried on their next channel.
 * `removeContact`: the address no longer exists (an expired push subscription).
 */
export type AttemptOutcome =
  | { state: 'sent'; providerId: string | null }
  | { state: 'queued'; code: string; detail: string | null; nextAttemptAt: Date }
  | { state: 'dead'; code: string; detail: string | null; fallback: boolean; removeContact: boolean };

/**
 * Decides the outcome of attempt number `attempts` (1 for the first). A retry comes back after
 * max(provider's Retry-After capped at the policy's ceiling, jittered backoff); once `maxAttempts`
 * attempts have been made the delivery is dead with the last reason, and falls back.
 */
export function decideOutcome(
  verdict: SendVerdict,
  attempts: number,
  policy: RetryPolicy,
  now: Date,
  random: () => number,
): AttemptOutcome {
  switch (verdict.status) {
    case 'sent':
      return { state: 'sent', providerId: verdict.providerId ?? null };
    case 'failed':
      return {
        state: 'dead',
        code: verdict.code,
        detail: verdict.detail ?? null,
        fallback: true,
        removeContact: false,
      };
    case 'gone':
      return { state: 'dead', code: verdict.code, detail: null, fallback: true, removeContact: true };
    case 'retry': {
      if (attempts >= policy.maxAttempts) {
        const gaveUp = `gave up after ${attempts} attempts`;
        return {
          state: 'dead',
          code: verdict.code,
          detail: verdict.detail ? `${verdict.detail}; ${gaveUp}` : gaveUp,
          fallback: true,
          removeContact: false,
        };
      }
      const backoff = nextRetryDelay(Math.max(1, attempts), policy, random);
      const asked = Math.min(policy.maxMs, Math.max(0, verdict.retryAfterMs ?? 0));
      return {
        state: 'queued',
        code: verdict.code,
        detail: verdict.detail ?? null,
        nextAttemptAt: new Date(now.getTime() + Math.max(backoff, asked)),
      };
    }
    default: {
      const exhaustive: never = verdict;
      return exhaustive;
    }
  }
}

/** A provider's final word on a message it accepted. */
export type ReceiptVerdict = { status: 'delivered' | 'failed' | 'expired'; code?: string };

/** The state a receipt moves a sent delivery to, with the reason when it did not arrive. */
export function decideReceipt(
  receipt: ReceiptVerdict,
): { state: 'delivered' } | { state: 'failed'; code: string } {
  if (receipt.status === 'delivered') return { state: 'delivered' };
  return { state: 'failed', code: receipt.code ?? `receipt.${receipt.status}` };
}
