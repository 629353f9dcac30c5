import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  assign,
  canMove,
  close,
  HELP_REQUEST_STATUSES,
  type HelpRequestStatus,
  nextStatuses,
  refer,
  setStatus,
} from './help-request-lifecycle.ts';

describe('help request lifecycle', () => {
  test('a request moves forward from new to closed', () => {
    let status: HelpRequestStatus = 'new';
    for (const to of ['acknowledged', 'in_progress'] as const) {
      const step = setStatus(status, to);
      assert.deepEqual(step, { ok: true, status: to });
      status = to;
    }
    assert.deepEqual(close(status), { ok: true, status: 'closed' });
  });

  test('refuses going back, except taking a referred request back into progress', () => {
    assert.deepEqual(setStatus('in_progress', 'acknowledged'), {
      ok: false,
      code: 'help_request.bad_transition',
    });
    assert.deepEqual(setStatus('acknowledged', 'new'), { ok: false, code: 'help_request.bad_transition' });
    assert.deepEqual(setStatus('acknowledged', 'acknowledged'), {
      ok: false,
      code: 'help_request.bad_transition',
    });
    assert.deepEqual(setStatus('referred', 'in_progress'), { ok: true, status: 'in_progress' });
  });

  test('nothing leaves closed, and closing twice says so', () => {
    assert.deepEqual(nextStatuses('closed'), []);
    for (const step of [
      close('closed'),
      assign('closed'),
      refer('closed'),
      setStatus('closed', 'in_progress'),
    ])
      assert.deepEqual(step, { ok: false, code: 'help_request.already_closed' });
  });

  test('assigning acknowledges a new request and leaves others where they are', () => {
    assert.deepEqual(assign('new'), { ok: true, status: 'acknowledged' });
    assert.deepEqual(assign('in_progress'), { ok: true, status: 'in_progress' });
    assert.deepEqual(assign('referred'), { ok: true, status: 'referred' });
  });

  test('referring works from any open status, including another referral', () => {
    for (const from of ['new', 'acknowledged', 'in_progress', 'referred'] as const)
      assert.deepEqual(refer(from), { ok: true, status: 'referred' });
  });

  test('every open status can be closed and every legal move is listed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...HELP_REQUEST_STATUSES),
        fc.constantFrom(...HELP_REQUEST_STATUSES),
        (from, to) => {
          assert.equal(setStatus(from, to).ok, nextStatuses(from).includes(to));
          assert.equal(canMove(from, to), nextStatuses(from).includes(to));
          if (from !== 'closed') assert.equal(close(from).ok, true);
          assert.equal(canMove(from, from), false);
        },
      ),
    );
  });
});
