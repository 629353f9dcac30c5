/**
 * The life of an alert, as pure rules: which step may follow which, and who may take it.
 *
 *   draft ──submit──▶ submitted ──approve──▶ approved ──issue──▶ issued
 *     ▲                   │                                        │
 *     └──────reject───────┘          an issued Update ──▶ superseded
 *                                    an issued Cancel ──▶ cancelled
 *
 * A rejected alert goes back to draft, keeping the reason, so that its author can mend it and submit it
 * again. Update and Cancel messages are alerts of their own that reference the original and go through
 * the same steps; only when one of them is issued does the original become superseded or cancelled.
 *
 * Approval: an Actual alert needs a second person. The approver must hold the crisis_manager role and
 * must be neither the person who drafted the alert nor the one who submitted it. An Exercise (a drill)
 * may be approved by any crisis manager, its author included, so that a small post can rehearse the
 * whole chain; such a self-approval is reported (`selfApproved`) and audited.
 */

export const ALERT_STATES = ['draft', 'submitted', 'approved', 'issued', 'superseded', 'cancelled'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** The CAP statuses Haven sends: a real alert, or a drill that flows end to end marked as one. */
export const ALERT_STATUSES = ['Actual', 'Exercise'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** CAP message types Haven writes: the first message, then updates and cancellations of it. */
export const ALERT_MSG_TYPES = ['Alert', 'Update', 'Cancel'] as const;
export type AlertMsgType = (typeof ALERT_MSG_TYPES)[number];

export type AlertStep =
  /** Change the content of a draft. */
  | 'edit'
  | 'submit'
  | 'approve'
  | 'reject'
  | 'issue'
  /** Draft an Update or a Cancel of this (issued) alert. */
  | 'follow_up';

/** The role allowed to approve; route-level access checks it too, the rule lives here. */
export const APPROVER_ROLE = 'crisis_manager';

/** What the rules need to know about an alert. */
export type AlertFacts = {
  readonly state: AlertState;
  readonly status: AlertStatus;
  readonly draftedBy: string;
  readonly submittedBy: string | null;
  /** When the alert stops being valid; an expired alert is never issued. */
  readonly expiresAt: Date | null;
};

/** Who takes the step. */
export type AlertActor = { readonly userId: string; readonly role: string };

export type LifecycleErrorCode =
  | 'alert.not_draft'
  | 'alert.not_submitted'
  | 'alert.not_approved'
  | 'alert.already_issued'
  | 'alert.not_issued'
  | 'alert.already_superseded'
  | 'alert.already_cancelled'
  | 'alert.approver_role'
  | 'alert.same_approver'
  | 'alert.expired';

export type LifecycleDecision =
  | { readonly ok: true; readonly next: AlertState; readonly selfApproved: boolean }
  | {
      readonly ok: false;
      readonly code: LifecycleErrorCode;
      /** 409 for a step that does not fit the alert's state, 403 for a step this person may not take. */
      readonly status: 403 | 409;
      readonly message: string;
    };

const conflict = (code: LifecycleErrorCode, message: string): LifecycleDecision => ({
  ok: false,
  code,
  status: 409,
  message,
});
const allow = (next: AlertState, selfApproved = false): LifecycleDecision => ({
  ok: true,
  next,
  selfApproved,
});

/** The refusal for a step that needs an issued alert, naming why this one is not. */
function notIssued(state: AlertState): LifecycleDecision {
  if (state === 'superseded')
    return conflict('alert.already_superseded', 'The alert has already been superseded by an update');
  if (state === 'cancelled')
    return conflict('alert.already_cancelled', 'The alert has already been cancelled');
  return conflict(
    'alert.not_issued',
    `Only an issued alert can be updated or cancelled; this one is ${state}`,
  );
}

/**
 * Decides whether `actor` may take `step` on the alert now, and the state it leads to. Pure: every fact
 * comes in as data, including the time.
 */
export function decideStep(
  alert: AlertFacts,
  step: AlertStep,
  actor: AlertActor,
  now: Date,
): LifecycleDecision {
  switch (step) {
    case 'edit':
    case 'submit':
      if (alert.state !== 'draft') {
        return conflict(
          'alert.not_draft',
          `Only a draft can be ${step === 'edit' ? 'changed' : 'submitted'}; this alert is ${alert.state}`,
        );
      }
      return allow(step === 'edit' ? 'draft' : 'submitted');
    case 'approve':
    case 'reject': {
      if (alert.state !== 'submitted') {
        return conflict(
          'alert.not_submitted',
          `Only a submitted alert can be ${step}d; this one is ${alert.state}`,
        );
      }
      if (actor.role !== APPROVER_ROLE) {
        return {
          ok: false,
          code: 'alert.approver_role',
          status: 403,
          message: 'Only a crisis manager approves or rejects alerts',
        };
      }
      if (step === 'reject') return allow('draft');
      const ownAlert = actor.userId === alert.draftedBy || actor.userId === alert.submittedBy;
      if (ownAlert && alert.status === 'Actual') {
        return {
          ok: false,
          code: 'alert.same_approver',
          status: 403,
          message: 'An Actual alert is approved by a second person: not the one who drafted or submitted it',
        };
      }
      return allow('approved', ownAlert);
    }
    case 'issue':
      if (alert.state === 'draft' || alert.state === 'submitted') {
        return conflict(
          'alert.not_approved',
          `The alert must be approved before it is issued; it is ${alert.state}`,
        );
      }
      if (alert.state !== 'approved')
        return conflict('alert.already_issued', 'The alert has already been issued');
      if (alert.expiresAt !== null && alert.expiresAt.getTime() <= now.getTime()) {
        return conflict(
          'alert.expired',
          'The alert expired before it was issued; change its expiry in a new draft',
        );
      }
      return allow('issued');
    case 'follow_up':
      return alert.state === 'issued' ? allow('issued') : notIssued(alert.state);
    default: {
      const exhaustive: never = step;
      return exhaustive;
    }
  }
}

/**
 * The state an issued alert takes when a follow-up of the given type is issued, or a refusal when the
 * alert is no longer current (another update or a cancellation came first).
 */
export function decideFollowUpIssued(
  original: Pick<AlertFacts, 'state'>,
  followUp: Exclude<AlertMsgType, 'Alert'>,
): LifecycleDecision {
  if (original.state !== 'issued') return notIssued(original.state);
  return allow(followUp === 'Update' ? 'superseded' : 'cancelled');
}

/** True for the states in which an alert has gone out (and so has a CAP `sent` time and recipients). */
export const wasIssued = (state: AlertState): boolean =>
  state === 'issued' || state === 'superseded' || state === 'cancelled';
