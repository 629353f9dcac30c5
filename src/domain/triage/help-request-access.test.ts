import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ActiveAgreement, PersonFacts, Viewer } from '../access/policy.ts';
import { authorizeHelpRequest, referralRefusal, visibleReasons } from './help-request-access.ts';

const person: PersonFacts = {
  country: 'AE',
  nationality: 'PH',
  employerId: null,
  consentedTo: [],
  emergencyOverride: false,
};
const officer: Viewer = {
  userId: 'u1',
  role: 'consular_officer',
  organizationId: 'origin',
  jurisdiction: ['AE'],
  agreements: [],
};
const agreement: ActiveAgreement = {
  id: 'a1',
  purpose: 'Shelter and medical referral',
  categories: ['contact', 'case_notes'],
  countries: ['AE'],
  nationalities: [],
};
const partner: Viewer = {
  userId: 'u2',
  role: 'partner_caseworker',
  organizationId: 'agency',
  jurisdiction: [],
  agreements: [agreement],
};
const inAe = { referredTo: null, postCountries: ['AE'] };

describe('authorizeHelpRequest', () => {
  test('an officer works the requests of persons in the post’s jurisdiction', () => {
    const a = authorizeHelpRequest(officer, inAe, person);
    assert.equal(a.allow, true);
    assert.ok(a.allow && a.canWork && a.canDirect && a.fields.has('case_notes'));
  });

  test('an officer reaches a request in the post’s queue even when the person is registered elsewhere', () => {
    const a = authorizeHelpRequest(officer, inAe, { ...person, country: 'QA' });
    assert.ok(a.allow && a.canWork);
    const b = authorizeHelpRequest(
      officer,
      { referredTo: null, postCountries: ['HK'] },
      { ...person, country: 'QA' },
    );
    assert.deepEqual(b, { allow: false, reason: 'outside_jurisdiction' });
  });

  test('an emergency override lets an officer read, not work', () => {
    const a = authorizeHelpRequest(
      officer,
      { referredTo: null, postCountries: ['HK'] },
      { ...person, country: 'HK', emergencyOverride: true },
    );
    assert.ok(a.allow && a.emergency && !a.canWork && !a.canDirect);
  });

  test('a partner sees only requests referred to it, with agreement and consent', () => {
    const referred = { referredTo: 'agency', postCountries: ['AE'] };
    assert.deepEqual(authorizeHelpRequest(partner, inAe, { ...person, consentedTo: ['agency'] }), {
      allow: false,
      reason: 'not_referred',
    });
    assert.deepEqual(authorizeHelpRequest(partner, referred, person), { allow: false, reason: 'no_consent' });
    const a = authorizeHelpRequest(partner, referred, { ...person, consentedTo: [null] });
    assert.ok(a.allow && a.canWork && !a.canDirect);
    assert.ok(
      a.allow && a.fields.has('case_notes') && !a.fields.has('vulnerabilities') && !a.fields.has('location'),
    );
    assert.equal(a.allow && a.purpose, 'Shelter and medical referral');
  });

  test('aggregate-only roles and employers never see a request', () => {
    for (const role of ['host_authority', 'analyst', 'auditor', 'employer_liaison'] as const)
      assert.equal(authorizeHelpRequest({ ...officer, role }, inAe, person).allow, false);
  });
});

describe('referralRefusal', () => {
  test('needs an agreement covering the person, then consent to that partner', () => {
    assert.equal(referralRefusal({ organizationId: 'agency', agreements: [] }, person), 'no_agreement');
    assert.equal(
      referralRefusal(
        { organizationId: 'agency', agreements: [{ ...agreement, countries: ['HK'] }] },
        person,
      ),
      'no_agreement',
    );
    assert.equal(
      referralRefusal({ organizationId: 'agency', agreements: [agreement] }, person),
      'no_consent',
    );
    assert.equal(
      referralRefusal(
        { organizationId: 'agency', agreements: [agreement] },
        { ...person, consentedTo: ['other'] },
      ),
      'no_consent',
    );
    assert.equal(
      referralRefusal(
        { organizationId: 'agency', agreements: [agreement] },
        { ...person, consentedTo: ['agency'] },
      ),
      null,
    );
  });

  test('an emergency override does not stand in for consent', () => {
    assert.equal(
      referralRefusal(
        { organizationId: 'agency', agreements: [agreement] },
        { ...person, emergencyOverride: true },
      ),
      'no_consent',
    );
  });
});

describe('visibleReasons', () => {
  const reasons = [
    { code: 'type.medical', points: 50 },
    { code: 'vulnerability.pregnant', points: 20 },
    { code: 'vulnerability.trafficking_survivor', points: 25 },
    { code: 'alert_level.3', points: 20 },
  ];
  test('shows every reason to a viewer who may see vulnerabilities', () => {
    assert.deepEqual(visibleReasons(reasons, new Set(['vulnerabilities'])), reasons);
  });
  test('folds vulnerabilities into one withheld reason otherwise, keeping the sum', () => {
    const shown = visibleReasons(reasons, new Set(['name']));
    assert.deepEqual(shown, [
      { code: 'type.medical', points: 50 },
      { code: 'vulnerability.withheld', points: 45 },
      { code: 'alert_level.3', points: 20 },
    ]);
  });
});
