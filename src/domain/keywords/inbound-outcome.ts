// What becomes of one text message sent to Haven: whether it records an answer, and the stable outcome
// code it is kept with. Every message is kept, whatever the outcome; only the answer is conditional.
import type { ReplyIntent } from './parse-reply.ts';

/** The outcome a kept inbound message carries. */
export const INBOUND_OUTCOMES = [
  'recorded',
  'inbound.no_alert',
  'inbound.unknown_number',
  'inbound.ambiguous_number',
  'inbound.unrecognised',
  'inbound.opt_out',
  'inbound.rate_limited',
] as const;
export type InboundOutcome = (typeof INBOUND_OUTCOMES)[number];

/** The facts the decision needs, gathered by the caller. */
export type InboundFacts = {
  intent: ReplyIntent;
  /** How many registered people have the sender's number as a phone contact. */
  personsWithNumber: number;
  /** The latest alert sent to the matched person, if any. */
  alertId: string | null;
  /** Messages already received from this number within the flood window. */
  recentFromNumber: number;
};

/** Flood limit: at most `maxPerWindow` messages from one number are read as answers within the window. */
export type FloodLimit = { maxPerWindow: number };

export type InboundDecision = {
  outcome: InboundOutcome;
  /** The answer to record, or null when none is. */
  answer: 'safe' | 'need_help' | null;
  /** A distress call (SOS): the help request it opens is flagged. */
  sos: boolean;
};

const none = (outcome: InboundOutcome): InboundDecision => ({ outcome, answer: null, sos: false });

/**
 * Decides what one inbound message does. A flood from one number is kept but records nothing more; a
 * message that cannot be placed (unknown or shared number), read (unrecognised) or that opts out is kept
 * for officers. A readable answer from a known number is recorded, against the latest alert sent to the
 * person when there is one (`recorded`) and with no alert otherwise (`inbound.no_alert`). "Help" and
 * "SOS" both record need_help.
 */
export function decideInbound(facts: InboundFacts, limit: FloodLimit): InboundDecision {
  if (facts.recentFromNumber >= limit.maxPerWindow) return none('inbound.rate_limited');
  if (facts.personsWithNumber === 0) return none('inbound.unknown_number');
  if (facts.personsWithNumber > 1) return none('inbound.ambiguous_number');
  switch (facts.intent) {
    case 'unknown':
      return none('inbound.unrecognised');
    case 'stop':
      return none('inbound.opt_out');
    case 'safe':
    case 'help':
    case 'sos':
      return {
        outcome: facts.alertId === null ? 'inbound.no_alert' : 'recorded',
        answer: facts.intent === 'safe' ? 'safe' : 'need_help',
        sos: facts.intent === 'sos',
      };
    default: {
      const exhaustive: never = facts.intent;
      return exhaustive;
    }
  }
}
