import { EvacuationInputError } from './evacuation-error.ts';
import type { EpochMillis, Evacuee, PriorityScheme } from './evacuation-types.ts';

/**
 * The default order: medical, unaccompanied children, pregnant, disability or elderly, survivors of
 * trafficking or violence, everyone else. Weights halve from one tier to the next so that one more
 * person of a tier is worth more than one of any tier below.
 */
export const DEFAULT_PRIORITY_SCHEME: PriorityScheme = [
  { label: 'medical', weight: 32, vulnerabilities: ['medical'], includesMedicalSeatNeeds: true },
  { label: 'unaccompanied_child', weight: 16, vulnerabilities: ['unaccompanied_child'] },
  { label: 'pregnant', weight: 8, vulnerabilities: ['pregnant'] },
  {
    label: 'disability_or_elderly',
    weight: 4,
    vulnerabilities: ['disability', 'chronic_illness', 'elderly'],
    minimumAge: 60,
  },
  {
    label: 'trafficking_or_violence_survivor',
    weight: 2,
    vulnerabilities: ['trafficking_survivor', 'violence_survivor'],
  },
  { label: 'everyone_else', weight: 1, vulnerabilities: [] },
];

/** Throws `evacuation.invalid_tier_scheme` unless the scheme has tiers with positive, non-increasing weights. */
export function assertValidPriorityScheme(scheme: PriorityScheme): void {
  if (scheme.length === 0 || scheme.length > 250) {
    throw new EvacuationInputError(
      'evacuation.invalid_tier_scheme',
      'A priority scheme needs 1 to 250 tiers',
    );
  }
  let previous = Number.POSITIVE_INFINITY;
  for (const tier of scheme) {
    if (!(Number.isFinite(tier.weight) && tier.weight > 0 && tier.weight <= previous)) {
      throw new EvacuationInputError(
        'evacuation.invalid_tier_scheme',
        'Tier weights must be positive and never rise from one tier to the next',
        tier.label,
      );
    }
    previous = tier.weight;
  }
}

/** The UTC calendar year of an instant, used to turn birth years into ages at the plan time. */
export function yearAt(time: EpochMillis): number {
  return new Date(time).getUTCFullYear();
}

/** The tier (1-based) of one person under `scheme` at the plan year. */
export function tierOfEvacuee(evacuee: Evacuee, scheme: PriorityScheme, planYear: number): number {
  const last = scheme.length;
  for (let index = 0; index < last - 1; index++) {
    const tier = scheme[index]!;
    if (tier.includesMedicalSeatNeeds === true && evacuee.needsMedicalSeat) return index + 1;
    if (
      tier.minimumAge !== undefined &&
      evacuee.birthYear !== null &&
      planYear - evacuee.birthYear >= tier.minimumAge
    ) {
      return index + 1;
    }
    for (const code of evacuee.vulnerabilities) {
      if (tier.vulnerabilities.includes(code)) return index + 1;
    }
  }
  return last;
}
