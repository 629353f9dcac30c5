import type { Vulnerability } from '../registry/person.ts';

/** What a person asks help for. `protection` covers violence and trafficking. */
export const HELP_REQUEST_TYPES = [
  'medical',
  'shelter',
  'food_water',
  'documents',
  'evacuation',
  'legal',
  'protection',
  'detention',
  'unpaid_wages',
  'other',
] as const;
export type HelpRequestType = (typeof HELP_REQUEST_TYPES)[number];

/** Triage priorities, most urgent first. */
export const TRIAGE_PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type TriagePriority = (typeof TRIAGE_PRIORITIES)[number];

/**
 * The triage rules as data: points per factor, the score each priority starts at, and the time a post
 * has to act at each priority. A deployment may pass its own; the default is `DEFAULT_TRIAGE_RULES`.
 */
export type TriageRules = {
  /** Points for an SOS: a person in danger now. */
  sos: number;
  type: Readonly<Record<HelpRequestType, number>>;
  vulnerability: Readonly<Record<Vulnerability, number>>;
  /** Points for alert levels 0 to 4 of the host country or area. */
  alertLevel: readonly [number, number, number, number, number];
  /** Points for time spent waiting, so that nothing waits forever behind newer requests. */
  waiting: { pointsPerHour: number; maxPoints: number };
  /** Lowest score of each priority above `low`. */
  thresholds: Readonly<{ critical: number; high: number; medium: number }>;
  /** Minutes from creation within which a request of each priority must be acted on. */
  slaMinutes: Readonly<Record<TriagePriority, number>>;
};

/**
 * Haven's default triage rules. They put life before everything: an SOS alone is critical; a medical or
 * protection request alone is high; an unaccompanied child lifts any request to high; a rising alert
 * level lifts everything; a request about documents or wages stays low unless something else weighs.
 */
export const DEFAULT_TRIAGE_RULES: TriageRules = {
  sos: 80,
  type: {
    medical: 50,
    protection: 50,
    detention: 40,
    evacuation: 30,
    shelter: 25,
    food_water: 25,
    documents: 10,
    legal: 10,
    unpaid_wages: 5,
    other: 5,
  },
  vulnerability: {
    unaccompanied_child: 45,
    trafficking_survivor: 25,
    pregnant: 20,
    violence_survivor: 20,
    child: 15,
    disability: 15,
    medical: 15,
    detained: 15,
    chronic_illness: 10,
    elderly: 10,
    passport_held_by_employer: 10,
  },
  alertLevel: [0, 5, 10, 20, 30],
  waiting: { pointsPerHour: 5, maxPoints: 30 },
  thresholds: { critical: 80, high: 50, medium: 25 },
  slaMinutes: { critical: 15, high: 60, medium: 240, low: 1440 },
};
