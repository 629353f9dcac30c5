import type { AgreementView } from '../../shared/api-types.ts';

/** Where an agreement stands on a given day. */
export type AgreementStatus = 'active' | 'ended' | 'notStarted' | 'expired';

/**
 * The status of an agreement on `today` (YYYY-MM-DD, UTC, as the server counts days). An agreement
 * ended early is "ended" whatever its dates; otherwise its dates decide, both days included.
 */
export function agreementStatus(
  agreement: Pick<AgreementView, 'startsOn' | 'endsOn' | 'endedAt'>,
  today: string,
): AgreementStatus {
  if (agreement.endedAt) return 'ended';
  if (today < agreement.startsOn) return 'notStarted';
  if (today > agreement.endsOn) return 'expired';
  return 'active';
}

/** Whether "End now" makes sense: the agreement gives, or will give, access. */
export function canEnd(status: AgreementStatus): boolean {
  return status === 'active' || status === 'notStarted';
}

/** A UTC calendar date, YYYY-MM-DD, shifted by whole days. */
export function utcDate(now: Date, plusDays = 0): string {
  return new Date(now.getTime() + plusDays * 86_400_000).toISOString().slice(0, 10);
}
