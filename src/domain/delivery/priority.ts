// The order in which queued deliveries are claimed. A drill must never hold back a real alert, so every
// real alert outranks every drill whatever their levels; within each tier the higher level goes first,
// and equal priorities go in the order they became due.

/** The facts about an alert its deliveries' priority depends on. */
export type PriorityFacts = {
  /** CAP status: only `Actual` is a real alert; Exercise, Test, System and Draft are not. */
  status: string;
  /** Alert level in the deployment's scheme, when the alert carries one. */
  level: number | null;
};

/** Levels above this add nothing: no scheme has more, and the tiers must not overlap. */
export const MAX_PRIORITY_LEVEL = 99;

const REAL_ALERT_TIER = 100;

/**
 * The claim priority of an alert's deliveries: higher is claimed first. Real alerts are 100 to 199,
 * everything else 0 to 99, the level adding within the tier.
 */
export function deliveryPriority(facts: PriorityFacts): number {
  const level = Math.min(MAX_PRIORITY_LEVEL, Math.max(0, Math.trunc(facts.level ?? 0)));
  return (facts.status === 'Actual' ? REAL_ALERT_TIER : 0) + level;
}

/** Whether a priority belongs to a real alert rather than a drill or test. */
export function isRealAlertPriority(priority: number): boolean {
  return priority >= REAL_ALERT_TIER;
}

/** How soon a direct message must go out: `urgent` (a sign-in code someone is waiting for) or `normal`. */
export type DirectMessageUrgency = 'urgent' | 'normal';

/**
 * The claim priority of a direct message. An urgent one (a person waiting for a sign-in code) goes
 * before every alert: it is one message, and holding it behind a million costs a person their way in.
 * A normal one (a boarding pass, a follow-up note) ranks with a real alert that carries no level: after
 * real alerts with a level, before every drill.
 */
export function directMessagePriority(urgency: DirectMessageUrgency): number {
  return urgency === 'urgent' ? REAL_ALERT_TIER + MAX_PRIORITY_LEVEL + 101 : REAL_ALERT_TIER;
}
