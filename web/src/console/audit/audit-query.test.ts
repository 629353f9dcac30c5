import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { brokenReasonKey, EMPTY_FILTERS, localToIso, toAuditQuery } from './audit-query.ts';

describe('toAuditQuery', () => {
  test('with no filter, asks for the newest page only', () => {
    assert.deepEqual(toAuditQuery(EMPTY_FILTERS), { limit: 50 });
  });

  test('trims the filters, lower-cases the person id and pages on before a sequence number', () => {
    const query = toAuditQuery(
      {
        ...EMPTY_FILTERS,
        action: ' persons.erase ',
        personId: ' 0190AAAA-0000-7000-8000-00000000000A ',
        actorUserId: 'u-1',
      },
      120,
    );
    assert.deepEqual(query, {
      limit: 50,
      action: 'persons.erase',
      personId: '0190aaaa-0000-7000-8000-00000000000a',
      actorUserId: 'u-1',
      beforeSeq: 120,
    });
  });

  test('turns local times into instants and drops a time that does not parse', () => {
    const query = toAuditQuery({ ...EMPTY_FILTERS, from: '2026-05-01T10:30', to: 'not a time' });
    assert.equal(query.from, new Date(2026, 4, 1, 10, 30).toISOString());
    assert.equal('to' in query, false);
    assert.equal(localToIso(''), undefined);
  });
});

describe('brokenReasonKey', () => {
  test("recognises the server's three reasons, and no other", () => {
    assert.equal(brokenReasonKey('entry 7 is missing'), 'audit.brokenReason.missing');
    assert.equal(brokenReasonKey('link to the previous entry does not match'), 'audit.brokenReason.link');
    assert.equal(brokenReasonKey('content does not match its hash'), 'audit.brokenReason.content');
    assert.equal(brokenReasonKey('something new'), null);
    assert.equal(brokenReasonKey(undefined), null);
  });
});
