import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { homePathFor, sectionOf, sectionsFor } from './navigation.ts';
import { can, mayNeedEmergencyAccess } from './permissions.ts';

const ids = (role: string) => sectionsFor(role).map((s) => s.id);

describe('console navigation by role', () => {
  test('each role is offered only the sections its grants open', () => {
    assert.deepEqual(ids('hq_admin'), [
      'persons',
      'cases',
      'evacuation',
      'agreements',
      'aggregates',
      'levels',
      'alerts',
      'board',
      'admin',
    ]);
    assert.deepEqual(ids('crisis_manager'), [
      'persons',
      'cases',
      'evacuation',
      'agreements',
      'aggregates',
      'levels',
      'alerts',
      'board',
    ]);
    assert.deepEqual(ids('consular_officer'), [
      'persons',
      'cases',
      'evacuation',
      'aggregates',
      'levels',
      'alerts',
      'board',
    ]);
    assert.deepEqual(ids('partner_caseworker'), ['persons', 'cases', 'levels']);
    assert.deepEqual(ids('employer_liaison'), ['persons', 'levels']);
    assert.deepEqual(ids('host_authority'), ['aggregates', 'levels', 'board']);
    assert.deepEqual(ids('analyst'), ['aggregates', 'levels', 'board']);
    assert.deepEqual(ids('auditor'), ['audit']);
    assert.deepEqual(ids('no_such_role'), []);
  });

  test('a role lands on its first section; aggregate-only and audit-only roles never on persons', () => {
    assert.equal(homePathFor('consular_officer'), '/');
    assert.equal(homePathFor('analyst'), '/aggregates');
    assert.equal(homePathFor('auditor'), '/audit');
    assert.equal(homePathFor('no_such_role'), null);
  });

  test('paths belong to their section, and a lookalike prefix does not', () => {
    assert.equal(sectionOf('/')?.id, 'persons');
    assert.equal(sectionOf('/persons/0190')?.id, 'persons');
    assert.equal(sectionOf('/admin/posts')?.id, 'admin');
    assert.equal(sectionOf('/auditing'), undefined);
    assert.equal(sectionOf('/elsewhere'), undefined);
  });
});

describe('role-aware actions', () => {
  test('crisis managers read agreements but do not manage them', () => {
    assert.equal(can('crisis_manager', 'agreements.read'), true);
    assert.equal(can('crisis_manager', 'agreements.manage'), false);
    assert.equal(can('hq_admin', 'agreements.manage'), true);
  });

  test('the emergency override is offered only to roles that can be refused a record', () => {
    assert.equal(mayNeedEmergencyAccess('partner_caseworker'), true);
    assert.equal(mayNeedEmergencyAccess('consular_officer'), true);
    assert.equal(mayNeedEmergencyAccess('hq_admin'), false, 'sees every record already');
    assert.equal(mayNeedEmergencyAccess('employer_liaison'), false, 'holds no override grant');
    assert.equal(mayNeedEmergencyAccess('auditor'), false);
  });
});
