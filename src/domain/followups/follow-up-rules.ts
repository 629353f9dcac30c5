// Who is due what, and when, after an alert that asked people to answer. Some time after the issue
// (the follow-up window), everyone still silent gets the alert again on a channel of theirs it has not
// used yet; after a second, longer window, whoever is still silent goes onto the officers' call list.
// Drills follow the same rules, so that a drill rehearses them.
import { type BoardAnswer, isAccountedFor } from '../board/board-status.ts';
import { nextFallbackChannel, type PersonChannel } from '../delivery/channel-order.ts';

/** The two windows, in minutes after the issue; 0 turns a step off. */
export type FollowUpWindows = { followUpAfterMinutes: number; callListAfterMinutes: number };

/** No follow-up step starts for an alert issued longer ago than this: an old alert is history. */
export const MAX_FOLLOW_UP_AGE_DAYS = 7;

export const FOLLOW_UP_STAGES = ['follow_up', 'call_list'] as const;
export type FollowUpStage = (typeof FOLLOW_UP_STAGES)[number];

const MINUTE = 60_000;
const MAX_AGE_MS = MAX_FOLLOW_UP_AGE_DAYS * 24 * 60 * MINUTE;

/** What the steps depend on about an alert. */
export type AlertFollowUpFacts = {
  askResponse: boolean;
  /** Lifecycle state: only an `issued` alert (not superseded, not cancelled) is followed up. */
  state: string;
  issuedAt: Date | null;
  expiresAt: Date | null;
};

/**
 * The steps due for an alert now. The follow-up runs between the two windows, while the alert is still
 * valid (an expired one would not be sent); once the call-list window has come the follow-up is over and
 * the call list is due instead. Nothing is due for an alert that asked for no answer, is no longer
 * issued, or is older than MAX_FOLLOW_UP_AGE_DAYS.
 */
export function dueStages(alert: AlertFollowUpFacts, now: Date, windows: FollowUpWindows): FollowUpStage[] {
  if (!alert.askResponse || alert.state !== 'issued' || alert.issuedAt === null) return [];
  const age = now.getTime() - alert.issuedAt.getTime();
  if (age < 0 || age > MAX_AGE_MS) return [];
  const followUp = windows.followUpAfterMinutes * MINUTE;
  const callList = windows.callListAfterMinutes * MINUTE;
  const stages: FollowUpStage[] = [];
  const beforeCallList = windows.callListAfterMinutes === 0 || age < callList;
  const valid = alert.expiresAt === null || alert.expiresAt.getTime() > now.getTime();
  if (windows.followUpAfterMinutes > 0 && age >= followUp && beforeCallList && valid)
    stages.push('follow_up');
  if (windows.callListAfterMinutes > 0 && age >= callList) stages.push('call_list');
  return stages;
}

/**
 * The latest issue time that can make any step due now, and the earliest: the window in which to look
 * for alerts (a query bound; dueStages decides).
 */
export function issueTimeBounds(
  now: Date,
  windows: FollowUpWindows,
): { latest: Date; earliest: Date } | null {
  const windowsOn = [windows.followUpAfterMinutes, windows.callListAfterMinutes].filter((m) => m > 0);
  if (windowsOn.length === 0) return null;
  return {
    latest: new Date(now.getTime() - Math.min(...windowsOn) * MINUTE),
    earliest: new Date(now.getTime() - MAX_AGE_MS),
  };
}

/** The delivery states in which a send is still to come: the person may yet read the first message. */
const IN_FLIGHT: ReadonlySet<string> = new Set(['queued', 'sending']);

/** What deciding one recipient's follow-up needs. */
export type RecipientFacts = {
  answer: BoardAnswer | null;
  openHelpRequest: boolean;
  /** The alert's deliveries to the person: channel and state. */
  deliveries: readonly { channel: string; state: string }[];
  /** Channels the person gave a consented contact for. */
  reachable: readonly PersonChannel[];
};

export type FollowUpDecision =
  /** Heard from (an answer or a help request): nothing to do. */
  | { kind: 'accounted' }
  /** A delivery of the alert is still queued or being sent: look again later. */
  | { kind: 'wait' }
  /** Send the alert again on this channel. */
  | { kind: 'send'; channel: PersonChannel }
  /** Every channel the person has was used already (an all-channels alert): nothing left to try. */
  | { kind: 'no_other_channel' }
  /** The person gave no contact Haven can send to. */
  | { kind: 'unreachable' };

/**
 * One silent recipient's follow-up: the first channel of the deployment's order the person can be
 * reached on that this alert has not used for them, whatever became of the ones it used.
 */
export function decideFollowUp(facts: RecipientFacts, order: readonly PersonChannel[]): FollowUpDecision {
  if (isAccountedFor(facts)) return { kind: 'accounted' };
  if (facts.deliveries.some((d) => IN_FLIGHT.has(d.state))) return { kind: 'wait' };
  const usable = order.filter((c) => facts.reachable.includes(c));
  if (usable.length === 0) return { kind: 'unreachable' };
  const channel = nextFallbackChannel(
    order,
    facts.reachable,
    facts.deliveries.map((d) => d.channel),
  );
  return channel ? { kind: 'send', channel } : { kind: 'no_other_channel' };
}

/** Whether a recipient belongs on the call list: still not heard from when the second window comes. */
export const belongsOnCallList = (facts: { answer: BoardAnswer | null; openHelpRequest: boolean }): boolean =>
  !isAccountedFor(facts);

/** What an officer's call came to. */
export const CALL_OUTCOMES = ['reached_safe', 'reached_need_help', 'no_answer', 'wrong_number'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/**
 * What a call's outcome does: a reached person's answer is recorded (by the officer) and the entry
 * closes; a wrong number closes the entry too (calling again would reach the same stranger) and leaves
 * the person unaccounted for; no answer keeps the entry open for another try.
 */
export function applyCallOutcome(outcome: CallOutcome): { answer: BoardAnswer | null; closes: boolean } {
  switch (outcome) {
    case 'reached_safe':
      return { answer: 'safe', closes: true };
    case 'reached_need_help':
      return { answer: 'need_help', closes: true };
    case 'wrong_number':
      return { answer: null, closes: true };
    case 'no_answer':
      return { answer: null, closes: false };
    default: {
      const exhaustive: never = outcome;
      return exhaustive;
    }
  }
}
