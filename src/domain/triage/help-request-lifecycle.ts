/**
 * The life of a help request, as data: the statuses it passes through, which moves are legal, and the
 * outcomes it may close with. Pure: the service asks, the database only records the answer.
 */

/** Where a request stands. `referred` means a partner organisation holds it; `closed` is final. */
export const HELP_REQUEST_STATUSES = ['new', 'acknowledged', 'in_progress', 'referred', 'closed'] as const;
export type HelpRequestStatus = (typeof HELP_REQUEST_STATUSES)[number];

/** Statuses an officer sets directly; referring and closing have their own steps (a partner, an outcome). */
export const SETTABLE_STATUSES = ['acknowledged', 'in_progress'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

/** How a request ended: a fixed list, so that the figures of every post add up. */
export const HELP_REQUEST_OUTCOMES = [
  'assisted',
  'referred_assisted',
  'evacuated',
  'no_longer_needed',
  'unreachable',
  'duplicate',
  'not_genuine',
] as const;
export type HelpRequestOutcome = (typeof HELP_REQUEST_OUTCOMES)[number];

/**
 * The legal moves. A request only moves forward, except that a post may take a referred request back
 * (`referred` → `in_progress`) when the partner cannot help. Nothing leaves `closed`.
 */
const NEXT: Readonly<Record<HelpRequestStatus, readonly HelpRequestStatus[]>> = {
  new: ['acknowledged', 'in_progress', 'referred', 'closed'],
  acknowledged: ['in_progress', 'referred', 'closed'],
  in_progress: ['referred', 'closed'],
  referred: ['in_progress', 'closed'],
  closed: [],
};

export const isHelpRequestStatus = (s: string): s is HelpRequestStatus =>
  (HELP_REQUEST_STATUSES as readonly string[]).includes(s);

export const isHelpRequestOutcome = (s: string): s is HelpRequestOutcome =>
  (HELP_REQUEST_OUTCOMES as readonly string[]).includes(s);

/** The statuses a request may move to from `from`. */
export const nextStatuses = (from: HelpRequestStatus): readonly HelpRequestStatus[] => NEXT[from];

/** Whether `from` → `to` is a legal move. Staying put is not a move. */
export const canMove = (from: HelpRequestStatus, to: HelpRequestStatus): boolean => NEXT[from].includes(to);

/** Why a step was refused, as a stable code. */
export type LifecycleRefusal = 'help_request.bad_transition' | 'help_request.already_closed';

export type LifecycleStep = { ok: true; status: HelpRequestStatus } | { ok: false; code: LifecycleRefusal };

const refuse = (from: HelpRequestStatus): LifecycleStep => ({
  ok: false,
  code: from === 'closed' ? 'help_request.already_closed' : 'help_request.bad_transition',
});

/** An officer sets a status directly. */
export function setStatus(from: HelpRequestStatus, to: HelpRequestStatus): LifecycleStep {
  return canMove(from, to) ? { ok: true, status: to } : refuse(from);
}

/**
 * Someone takes the request on: a new request becomes acknowledged; otherwise the status stays as it
 * is (reassigning work in progress does not restart it). A closed request cannot be assigned.
 */
export function assign(from: HelpRequestStatus): LifecycleStep {
  if (from === 'closed') return refuse(from);
  return { ok: true, status: from === 'new' ? 'acknowledged' : from };
}

/** The request goes to a partner organisation. Referring again moves it to another partner. */
export function refer(from: HelpRequestStatus): LifecycleStep {
  if (from === 'closed') return refuse(from);
  return { ok: true, status: 'referred' };
}

/** The request is closed with an outcome, once. */
export function close(from: HelpRequestStatus): LifecycleStep {
  return canMove(from, 'closed') ? { ok: true, status: 'closed' } : refuse(from);
}
