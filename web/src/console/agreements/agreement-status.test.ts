import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { agreementStatus, canEnd, utcDate } from './agreement-status.ts';

const dates = { startsOn: '2026-03-01', endsOn: '2026-08-31', endedAt: null };

describe('agreementStatus', () => {
  test('is active from its first day to its last, both included', () => {
    assert.equal(agreementStatus(dates, '2026-03-01'), 'active');
    assert.equal(agreementStatus(dates, '2026-06-15'), 'active');
    assert.equal(agreementStatus(dates, '2026-08-31'), 'active');
  });

  test('is not yet started before its first day and expired after its last', () => {
    assert.equal(agreementStatus(dates, '2026-02-28'), 'notStarted');
    assert.equal(agreementStatus(dates, '2026-09-01'), 'expired');
  });

  test('an agreement ended early is ended, whatever its dates say', () => {
    const ended = { ...dates, endedAt: '2026-04-02T10:00:00.000Z' };
    assert.equal(agreementStatus(ended, '2026-06-15'), 'ended');
    assert.equal(agreementStatus(ended, '2026-01-01'), 'ended');
  });

  test('only an agreement that gives or will give access can be ended', () => {
    assert.equal(canEnd('active'), true);
    assert.equal(canEnd('notStarted'), true);
    assert.equal(canEnd('ended'), false);
    assert.equal(canEnd('expired'), false);
  });
});

describe('utcDate', () => {
  test('counts days in UTC, across a month end', () => {
    const lateEvening = new Date('2026-01-31T23:30:00Z');
    assert.equal(utcDate(lateEvening), '2026-01-31');
    assert.equal(utcDate(lateEvening, 1), '2026-02-01');
    assert.equal(utcDate(lateEvening, 365), '2027-01-31');
  });
});
