import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ALERT_STATES,
  type AlertFacts,
  type AlertState,
  type AlertStep,
  decideFollowUpIssued,
  decideStep,
  wasIssued,
} from './lifecycle.ts';

const now = new Date('2026-11-27T12:00:00Z');
const drafter = { userId: 'u-drafter', role: 'consular_officer' };
const manager = { userId: 'u-manager', role: 'crisis_manager' };

const facts = (over: Partial<AlertFacts> = {}): AlertFacts => ({
  state: 'draft',
  status: 'Actual',
  draftedBy: drafter.userId,
  submittedBy: null,
  expiresAt: null,
  ...over,
});

describe('alert lifecycle', () => {
  test('walks draft → submitted → approved → issued', () => {
    const steps: [AlertState, AlertStep, AlertState][] = [
      ['draft', 'edit', 'draft'],
      ['draft', 'submit', 'submitted'],
      ['submitted', 'approve', 'approved'],
      ['submitted', 'reject', 'draft'],
      ['approved', 'issue', 'issued'],
      ['issued', 'follow_up', 'issued'],
    ];
    for (const [state, step, next] of steps) {
      const d = decideStep(facts({ state, submittedBy: drafter.userId }), step, manager, now);
      assert.deepEqual(d, { ok: true, next, selfApproved: false }, `${state} --${step}-->`);
    }
  });

  test('every other (state, step) pair is refused with a 409 code that names the problem', () => {
    const allowed = new Set([
      'draft:edit',
      'draft:submit',
      'submitted:approve',
      'submitted:reject',
      'approved:issue',
      'issued:follow_up',
    ]);
    const expectedCode: Record<AlertStep, (s: AlertState) => string> = {
      edit: () => 'alert.not_draft',
      submit: () => 'alert.not_draft',
      approve: () => 'alert.not_submitted',
      reject: () => 'alert.not_submitted',
      issue: (s) => (s === 'draft' || s === 'submitted' ? 'alert.not_approved' : 'alert.already_issued'),
      follow_up: (s) =>
        s === 'superseded'
          ? 'alert.already_superseded'
          : s === 'cancelled'
            ? 'alert.already_cancelled'
            : 'alert.not_issued',
    };
    for (const state of ALERT_STATES) {
      for (const step of Object.keys(expectedCode) as AlertStep[]) {
        if (allowed.has(`${state}:${step}`)) continue;
        const d = decideStep(facts({ state }), step, manager, now);
        assert.equal(d.ok, false, `${state}:${step}`);
        if (!d.ok) {
          assert.equal(d.code, expectedCode[step](state), `${state}:${step}`);
          assert.equal(d.status, 409);
        }
      }
    }
  });

  test('an unapproved alert cannot be issued', () => {
    for (const state of ['draft', 'submitted'] as const) {
      const d = decideStep(facts({ state }), 'issue', manager, now);
      assert.equal(d.ok, false);
      assert.equal(!d.ok && d.code, 'alert.not_approved');
    }
  });

  test('an Actual alert is approved by a second crisis manager, neither drafter nor submitter', () => {
    const submitted = facts({ state: 'submitted', draftedBy: 'u-a', submittedBy: 'u-b' });
    for (const userId of ['u-a', 'u-b']) {
      const d = decideStep(submitted, 'approve', { userId, role: 'crisis_manager' }, now);
      assert.equal(d.ok, false);
      assert.equal(!d.ok && d.code, 'alert.same_approver');
      assert.equal(!d.ok && d.status, 403);
    }
    assert.deepEqual(decideStep(submitted, 'approve', manager, now), {
      ok: true,
      next: 'approved',
      selfApproved: false,
    });
  });

  test('only a crisis manager approves or rejects', () => {
    const submitted = facts({ state: 'submitted', submittedBy: drafter.userId });
    for (const step of ['approve', 'reject'] as const) {
      const d = decideStep(submitted, step, { userId: 'u-x', role: 'hq_admin' }, now);
      assert.equal(!d.ok && d.code, 'alert.approver_role');
    }
  });

  test('a drill may be approved by its own author, and the self-approval is reported', () => {
    const drill = facts({
      state: 'submitted',
      status: 'Exercise',
      draftedBy: manager.userId,
      submittedBy: manager.userId,
    });
    assert.deepEqual(decideStep(drill, 'approve', manager, now), {
      ok: true,
      next: 'approved',
      selfApproved: true,
    });
  });

  test('an alert past its expiry is not issued', () => {
    const expired = facts({ state: 'approved', expiresAt: new Date(now.getTime() - 1000) });
    const d = decideStep(expired, 'issue', manager, now);
    assert.equal(!d.ok && d.code, 'alert.expired');
    const live = facts({ state: 'approved', expiresAt: new Date(now.getTime() + 1000) });
    assert.equal(decideStep(live, 'issue', manager, now).ok, true);
  });

  test('an issued follow-up supersedes or cancels a current original, and only a current one', () => {
    assert.deepEqual(decideFollowUpIssued({ state: 'issued' }, 'Update'), {
      ok: true,
      next: 'superseded',
      selfApproved: false,
    });
    assert.deepEqual(decideFollowUpIssued({ state: 'issued' }, 'Cancel'), {
      ok: true,
      next: 'cancelled',
      selfApproved: false,
    });
    const late = decideFollowUpIssued({ state: 'cancelled' }, 'Update');
    assert.equal(!late.ok && late.code, 'alert.already_cancelled');
    const twice = decideFollowUpIssued({ state: 'superseded' }, 'Cancel');
    assert.equal(!twice.ok && twice.code, 'alert.already_superseded');
  });

  test('wasIssued holds for the states after issue', () => {
    assert.deepEqual(ALERT_STATES.filter(wasIssued), ['issued', 'superseded', 'cancelled']);
  });
});
