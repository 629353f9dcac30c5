import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Viewer } from '../access/policy.ts';
import { boardAudience, boardCountScope, mayViewAlertBoard } from './board-access.ts';

const viewer = (role: Viewer['role'], jurisdiction: string[] = []): Viewer => ({
  userId: 'u1',
  role,
  organizationId: 'o1',
  jurisdiction,
  agreements: [],
});

describe('board access', () => {
  test('operations see people, host authorities and analysts aggregates, others nothing', () => {
    assert.equal(boardAudience('hq_admin'), 'people');
    assert.equal(boardAudience('consular_officer'), 'people');
    assert.equal(boardAudience('host_authority'), 'aggregates');
    assert.equal(boardAudience('analyst'), 'aggregates');
    assert.equal(boardAudience('partner_caseworker'), 'none');
    assert.equal(boardAudience('auditor'), 'none');
  });

  test('a consular officer counts the jurisdiction only', () => {
    assert.deepEqual(boardCountScope(viewer('consular_officer', ['AE'])), {
      kind: 'countries',
      countries: ['AE'],
    });
    assert.deepEqual(boardCountScope(viewer('crisis_manager')), { kind: 'all' });
  });

  test('who may open which alert board', () => {
    const alert = { draftedBy: 'someone', scope: 'Public', countries: ['AE'] };
    assert.equal(mayViewAlertBoard(viewer('crisis_manager'), alert), true);
    assert.equal(mayViewAlertBoard(viewer('consular_officer', ['AE']), alert), true);
    assert.equal(mayViewAlertBoard(viewer('consular_officer', ['HK']), alert), false);
    assert.equal(mayViewAlertBoard(viewer('consular_officer', ['HK']), { ...alert, draftedBy: 'u1' }), true);
    assert.equal(mayViewAlertBoard(viewer('host_authority'), alert), true);
    assert.equal(mayViewAlertBoard(viewer('analyst'), { ...alert, scope: 'Restricted' }), false);
    assert.equal(mayViewAlertBoard(viewer('employer_liaison'), alert), false);
  });
});
