// Where a person stands after an alert, as the accountability board counts them. One rule, used by the
// board, the follow-ups and the call list alike, so that the three never disagree about who is silent.

/** A person's answer, as recorded in `responses`. */
export type BoardAnswer = 'safe' | 'need_help';

/** Safe, needs help, or not heard from. */
export const BOARD_STATUSES = ['safe', 'need_help', 'no_answer'] as const;
export type BoardStatus = (typeof BOARD_STATUSES)[number];

/** What the status depends on. */
export type StatusFacts = {
  /** The person's latest answer to the alert (or to any alert of the crisis), or null. */
  answer: BoardAnswer | null;
  /** The person has a help request that is not closed. */
  openHelpRequest: boolean;
};

/**
 * A person's status: an open help request or a latest answer of "need help" means they need help (a
 * later "safe" does not close a case that an officer has not closed); otherwise a latest answer of
 * "safe" means safe; otherwise nothing was heard.
 */
export function boardStatus(facts: StatusFacts): BoardStatus {
  if (facts.openHelpRequest || facts.answer === 'need_help') return 'need_help';
  if (facts.answer === 'safe') return 'safe';
  return 'no_answer';
}

/** Whether the person has been heard from (an answer, or a help request): the silent get followed up. */
export const isAccountedFor = (facts: StatusFacts): boolean => boardStatus(facts) !== 'no_answer';
