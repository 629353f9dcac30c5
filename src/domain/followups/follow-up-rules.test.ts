import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyCallOutcome,
  belongsOnCallList,
  decideFollowUp,
  dueStages,
  issueTimeBounds,
  MAX_FOLLOW_UP_AGE_DAYS,
  type RecipientFacts,
} from './follow-up-rules.ts';

const ISSUED = new Date('2026-03-01T12:00:00Z');
const WINDOWS = { followUpAfterMinutes: 30, callListAfterMinutes: 120 };
const at = (minutes: number) => new Date(ISSUED.getTime() + minutes * 60_000);
const alert = { askResponse: true, state: 'issued', issuedAt: ISSUED, expiresAt: null };

describe('dueStages', () => {
  test('nothing before the first window, the follow-up between the windows, the call list after', () => {
    assert.deepEqual(dueStages(alert, at(29), WINDOWS), []);
    assert.deepEqual(dueStages(alert, at(30), WINDOWS), ['follow_up']);
    assert.deepEqual(dueStages(alert, at(119), WINDOWS), ['follow_up']);
    assert.deepEqual(dueStages(alert, at(120), WINDOWS), ['call_list']);
  });

  test('an alert that asked for no answer, or is superseded or cancelled, or is old, is not followed up', () => {
    assert.deepEqual(dueStages({ ...alert, askResponse: false }, at(40), WINDOWS), []);
    assert.deepEqual(dueStages({ ...alert, state: 'superseded' }, at(40), WINDOWS), []);
    assert.deepEqual(dueStages({ ...alert, state: 'cancelled' }, at(200), WINDOWS), []);
    assert.deepEqual(dueStages({ ...alert, issuedAt: null }, at(40), WINDOWS), []);
    assert.deepEqual(dueStages(alert, at(MAX_FOLLOW_UP_AGE_DAYS * 24 * 60 + 1), WINDOWS), []);
  });

  test('an expired alert is not sent again, but its silent recipients still go onto the call list', () => {
    const expired = { ...alert, expiresAt: at(45) };
    assert.deepEqual(dueStages(expired, at(40), WINDOWS), ['follow_up']);
    assert.deepEqual(dueStages(expired, at(50), WINDOWS), []);
    assert.deepEqual(dueStages(expired, at(130), WINDOWS), ['call_list']);
  });

  test('a window of 0 turns its step off', () => {
    assert.deepEqual(dueStages(alert, at(500), { followUpAfterMinutes: 30, callListAfterMinutes: 0 }), [
      'follow_up',
    ]);
    assert.deepEqual(dueStages(alert, at(50), { followUpAfterMinutes: 0, callListAfterMinutes: 120 }), []);
    assert.equal(issueTimeBounds(at(50), { followUpAfterMinutes: 0, callListAfterMinutes: 0 }), null);
  });

  test('the issue-time bounds take in every alert a step may be due for', () => {
    const now = at(31);
    const bounds = issueTimeBounds(now, WINDOWS)!;
    assert.equal(bounds.latest.toISOString(), at(1).toISOString());
    assert.ok(ISSUED <= bounds.latest && ISSUED >= bounds.earliest);
  });
});

describe('decideFollowUp', () => {
  const ORDER = ['push', 'sms', 'email'] as const;
  const facts = (over: Partial<RecipientFacts> = {}): RecipientFacts => ({
    answer: null,
    openHelpRequest: false,
    deliveries: [{ channel: 'push', state: 'sent' }],
    reachable: ['push', 'sms', 'email'],
    ...over,
  });

  test('a silent person reached on push gets the alert again by SMS, the next channel of the order', () => {
    assert.deepEqual(decideFollowUp(facts(), ORDER), { kind: 'send', channel: 'sms' });
  });

  test('channels already used are skipped, whatever became of their deliveries', () => {
    const deliveries = [
      { channel: 'push', state: 'dead' },
      { channel: 'sms', state: 'delivered' },
    ];
    assert.deepEqual(decideFollowUp(facts({ deliveries }), ORDER), { kind: 'send', channel: 'email' });
  });

  test('a person heard from, by answer or by help request, gets nothing', () => {
    assert.deepEqual(decideFollowUp(facts({ answer: 'safe' }), ORDER), { kind: 'accounted' });
    assert.deepEqual(decideFollowUp(facts({ openHelpRequest: true }), ORDER), { kind: 'accounted' });
  });

  test('a delivery still on its way means waiting, not sending more', () => {
    const deliveries = [{ channel: 'push', state: 'queued' }];
    assert.deepEqual(decideFollowUp(facts({ deliveries }), ORDER), { kind: 'wait' });
  });

  test('no channel left, or none at all, is said so', () => {
    const deliveries = ORDER.map((channel) => ({ channel, state: 'sent' }));
    assert.deepEqual(decideFollowUp(facts({ deliveries }), ORDER), { kind: 'no_other_channel' });
    assert.deepEqual(decideFollowUp(facts({ reachable: [], deliveries: [] }), ORDER), {
      kind: 'unreachable',
    });
    // A channel the deployment does not use does not count as a way to reach the person.
    assert.deepEqual(decideFollowUp(facts({ reachable: ['email'], deliveries: [] }), ['push', 'sms']), {
      kind: 'unreachable',
    });
  });
});

describe('the call list', () => {
  test('takes the silent only', () => {
    assert.equal(belongsOnCallList({ answer: null, openHelpRequest: false }), true);
    assert.equal(belongsOnCallList({ answer: 'need_help', openHelpRequest: false }), false);
    assert.equal(belongsOnCallList({ answer: null, openHelpRequest: true }), false);
  });

  test('a reached person is answered for and the entry closes; no answer keeps it open', () => {
    assert.deepEqual(applyCallOutcome('reached_safe'), { answer: 'safe', closes: true });
    assert.deepEqual(applyCallOutcome('reached_need_help'), { answer: 'need_help', closes: true });
    assert.deepEqual(applyCallOutcome('wrong_number'), { answer: null, closes: true });
    assert.deepEqual(applyCallOutcome('no_answer'), { answer: null, closes: false });
  });
});
