import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { sha256Hex } from '../../src/lib/crypto.ts';
import { createApiToken, createUser, totpCode } from '../../src/modules/access/auth.service.ts';
import { verifyAuditChain } from '../../src/modules/audit/audit.service.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { testDialect } from '../helpers/database.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(async () => {
  await t?.close();
});

type Res = Awaited<ReturnType<TestApp['anonymous']>>;
const cookieOf = (res: Res) => String(res.headers['set-cookie']).split(';')[0]!;

async function person(body: Record<string, unknown>): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/persons', payload: body });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id;
}

async function lastAudit(action?: string) {
  let q = t.database.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc');
  if (action) q = q.where('action', '=', action);
  return q.executeTakeFirstOrThrow();
}

describe('sign-in, second factor and sessions', () => {
  test('one-time password → new password → TOTP enrolment → personal data', async () => {
    const { oneTimePassword } = await createUser(t.database.db, {
      email: 'new.officer@test.example.org',
      role: 'crisis_manager',
      organizationId: t.fixtures.originOrgId,
    });
    const login = await t.anonymous({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'New.Officer@test.example.org', password: oneTimePassword },
    });
    assert.equal(login.statusCode, 200, login.body);
    assert.match(String(login.headers['set-cookie']), /HttpOnly; SameSite=Strict.*Secure/);
    const { csrfToken, mfaRequired, mustChangePassword } = login.json();
    assert.equal(mfaRequired, true);
    assert.equal(mustChangePassword, true);
    const cookie = cookieOf(login);
    const h = { cookie, 'x-csrf-token': csrfToken };

    const early = await t.anonymous({ url: '/api/persons', headers: { cookie } });
    assert.equal(early.json().code, 'auth.mfa_required');

    const noCsrf = await t.anonymous({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { currentPassword: oneTimePassword, newPassword: 'a much longer passphrase' },
    });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().code, 'auth.csrf_failed');
    const weak = await t.anonymous({
      method: 'POST',
      url: '/api/auth/password',
      headers: h,
      payload: { currentPassword: oneTimePassword, newPassword: 'short' },
    });
    assert.equal(weak.json().code, 'auth.password_weak');
    const changed = await t.anonymous({
      method: 'POST',
      url: '/api/auth/password',
      headers: h,
      payload: { currentPassword: oneTimePassword, newPassword: 'a much longer passphrase' },
    });
    assert.equal(changed.statusCode, 204, changed.body);

    const enrol = await t.anonymous({ method: 'POST', url: '/api/auth/totp/enroll', headers: h });
    assert.equal(enrol.statusCode, 200);
    assert.match(enrol.json().uri, /^otpauth:\/\/totp\/Haven:/);
    const wrong = await t.anonymous({
      method: 'POST',
      url: '/api/auth/totp',
      headers: h,
      payload: { code: '000000' === totpCode(enrol.json().secret) ? '111111' : '000000' },
    });
    assert.equal(wrong.json().code, 'auth.totp_invalid');
    const code = totpCode(enrol.json().secret);
    const ok = await t.anonymous({ method: 'POST', url: '/api/auth/totp', headers: h, payload: { code } });
    assert.equal(ok.statusCode, 204, ok.body);
    const replay = await t.anonymous({
      method: 'POST',
      url: '/api/auth/totp',
      headers: h,
      payload: { code },
    });
    assert.equal(replay.statusCode, 401);
    assert.equal(replay.json().code, 'auth.totp_replayed');

    const list = await t.anonymous({ url: '/api/persons', headers: { cookie } });
    assert.equal(list.statusCode, 200, list.body);
    const me = await t.anonymous({ url: '/api/auth/me', headers: { cookie } });
    assert.equal(me.json().role, 'crisis_manager');
    assert.equal(me.json().mfaPassed, true);

    const out = await t.anonymous({ method: 'POST', url: '/api/auth/logout', headers: h });
    assert.equal(out.statusCode, 204);
    const after = await t.anonymous({ url: '/api/persons', headers: { cookie } });
    assert.equal(after.json().code, 'auth.session_invalid');
  });

  test('expired sessions and tampered cookies and tokens are refused', async () => {
    const { oneTimePassword } = await createUser(t.database.db, {
      email: 'analyst2@test.example.org',
      role: 'analyst',
      organizationId: t.fixtures.originOrgId,
    });
    const login = await t.anonymous({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'analyst2@test.example.org', password: oneTimePassword },
    });
    const cookie = cookieOf(login);
    const tampered = `${cookie.slice(0, -2)}${cookie.endsWith('A') ? 'BB' : 'AA'}`;
    assert.equal(
      (await t.anonymous({ url: '/api/auth/me', headers: { cookie: tampered } })).json().code,
      'auth.session_invalid',
    );
    await t.database.db.updateTable('sessions').set({ expires_at: '2000-01-01T00:00:00.000Z' }).execute();
    assert.equal(
      (await t.anonymous({ url: '/api/auth/me', headers: { cookie } })).json().code,
      'auth.session_expired',
    );

    const token = t.as('hq_admin').authorization;
    const bad = await t.anonymous({
      url: '/api/persons',
      headers: { authorization: `${token.slice(0, -1)}x` },
    });
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.json().code, 'auth.token_invalid');
    await createUser(t.database.db, {
      email: 'short.lived@test.example.org',
      role: 'analyst',
      organizationId: t.fixtures.originOrgId,
    });
    const { token: shortLived } = await createApiToken(t.database.db, {
      email: 'short.lived@test.example.org',
      expiresInDays: 1,
    });
    assert.equal(
      (
        await t.anonymous({
          url: '/api/aggregates/registry?by=sex',
          headers: { authorization: `Bearer ${shortLived}` },
        })
      ).statusCode,
      200,
    );
    await t.database.db
      .updateTable('api_tokens')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .where('token_hash', '=', sha256Hex(shortLived))
      .execute();
    const expired = await t.anonymous({
      url: '/api/aggregates/registry?by=sex',
      headers: { authorization: `Bearer ${shortLived}` },
    });
    assert.equal(expired.json().code, 'auth.token_expired');
    const none = await t.anonymous({ url: '/api/persons' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().code, 'auth.required');
  });

  test('brute force locks the account, and the same answer is given for unknown accounts', async () => {
    const { oneTimePassword } = await createUser(t.database.db, {
      email: 'target@test.example.org',
      role: 'analyst',
      organizationId: t.fixtures.originOrgId,
    });
    const attempt = (email: string, password: string) =>
      t.anonymous({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password },
        remoteAddress: '127.0.0.9',
      });
    const unknown = await attempt('nobody@test.example.org', 'whatever');
    for (let i = 0; i < 5; i++) {
      const r = await attempt('target@test.example.org', `wrong-${i}`);
      assert.equal(r.statusCode, 401);
      assert.deepEqual(r.json(), unknown.json());
    }
    const locked = await attempt('target@test.example.org', oneTimePassword);
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.json().code, 'auth.locked');
    const audit = await lastAudit('auth.login');
    assert.equal(audit.outcome, 'denied');
    assert.doesNotMatch(audit.details, /target@/);
  });

  test('sign-in attempts from one address are rate-limited', async () => {
    let limited: Res | undefined;
    for (let i = 0; i < 30 && !limited; i++) {
      const r = await t.anonymous({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: `x${i}@test.example.org`, password: 'x' },
        remoteAddress: '127.0.0.77',
      });
      if (r.statusCode === 429) limited = r;
    }
    assert.ok(limited, 'a flood of sign-ins is cut off');
    assert.equal(limited.json().code, 'request.rate_limited');
    assert.ok(Number(limited.headers['retry-after']) > 0);
  });
});

describe('the protection firewall', () => {
  let aeWorker: string;
  let hkWorker: string;
  let otherWorker: string;
  before(async () => {
    const otherEmployer = await t.app.inject({
      method: 'POST',
      url: '/api/organizations',
      payload: { name: 'Other Employer (test)', type: 'employer' },
    });
    aeWorker = await person({
      givenNames: 'Amina',
      familyName: 'Testperson',
      phones: [{ value: '+971501110001' }],
      location: { lat: 25.2, lon: 55.27, country: 'AE', address: 'Sensitive street 1' },
      vulnerabilities: ['trafficking_survivor'],
      documentStatus: 'held_by_employer',
      employerId: t.fixtures.employerOrgId,
      nationality: 'PH',
    });
    hkWorker = await person({
      givenNames: 'Hong',
      location: { lat: 22.3, lon: 114.17, country: 'HK' },
      nationality: 'PH',
    });
    otherWorker = await person({
      givenNames: 'Other',
      location: { lat: 25.1, lon: 55.2, country: 'AE' },
      employerId: otherEmployer.json().id,
    });
  });

  test('a consular officer works only within the post jurisdiction', async () => {
    const h = t.as('consular_officer');
    assert.equal((await t.app.inject({ url: `/api/persons/${aeWorker}`, headers: h })).statusCode, 200);
    const outside = await t.app.inject({ url: `/api/persons/${hkWorker}`, headers: h });
    const missing = await t.app.inject({
      url: '/api/persons/01900000-0000-7000-8000-000000000000',
      headers: h,
    });
    assert.equal(outside.statusCode, 404);
    assert.deepEqual(outside.json(), missing.json(), '"not yours" and "does not exist" look alike');
    const denied = await lastAudit('persons.read');
    assert.equal(denied.outcome, 'denied');
    assert.deepEqual(JSON.parse(denied.person_ids), [hkWorker]);
    assert.match(denied.details, /outside_jurisdiction/);
    const list = await t.app.inject({ url: '/api/persons?limit=200', headers: h });
    const ids = list.json().items.map((p: { id: string }) => p.id);
    assert.ok(ids.includes(aeWorker) && !ids.includes(hkWorker));
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/persons',
      headers: h,
      payload: { givenNames: 'X', location: { country: 'HK' } },
    });
    assert.equal(create.statusCode, 403);
    assert.equal(create.json().code, 'access.outside_jurisdiction');
  });

  test('an employer liaison sees only their own workers, and only names', async () => {
    const h = t.as('employer_liaison');
    const own = await t.app.inject({ url: `/api/persons/${aeWorker}`, headers: h });
    assert.equal(own.statusCode, 200);
    assert.deepEqual(own.json().visibleCategories, ['name', 'safety']);
    assert.equal(own.json().givenNames, 'Amina');
    for (const hidden of ['phones', 'location', 'vulnerabilities', 'documentStatus', 'birthYear', 'sex'])
      assert.equal(hidden in own.json(), false, hidden);
    assert.equal((await t.app.inject({ url: `/api/persons/${otherWorker}`, headers: h })).statusCode, 404);
    const list = await t.app.inject({ url: '/api/persons?limit=200', headers: h });
    assert.deepEqual(
      list.json().items.map((p: { id: string }) => p.id),
      [aeWorker],
    );
  });

  test('a partner sees a person only under an active agreement and the person’s consent', async () => {
    const h = t.as('partner_caseworker');
    assert.equal(
      (await t.app.inject({ url: `/api/persons/${aeWorker}`, headers: h })).statusCode,
      404,
      'no agreement',
    );
    assert.match((await lastAudit('persons.read')).details, /no_agreement/);

    const agreement = await t.app.inject({
      method: 'POST',
      url: '/api/agreements',
      payload: {
        partnerOrganizationId: t.fixtures.partnerOrgId,
        purpose: 'Shelter referrals',
        categories: ['contact'],
        countries: ['AE'],
        startsOn: '2020-01-01',
        endsOn: '2099-12-31',
      },
    });
    assert.equal(agreement.statusCode, 201, agreement.body);
    assert.equal(
      (await t.app.inject({ url: `/api/persons/${aeWorker}`, headers: h })).statusCode,
      404,
      'no consent yet',
    );
    assert.match((await lastAudit('persons.read')).details, /no_consent/);

    const consent = await t.app.inject({
      method: 'POST',
      url: `/api/persons/${aeWorker}/consents`,
      payload: { status: 'granted', channel: 'in_person' },
    });
    assert.equal(consent.statusCode, 201, consent.body);
    const seen = await t.app.inject({ url: `/api/persons/${aeWorker}`, headers: h });
    assert.equal(seen.statusCode, 200);
    assert.deepEqual(seen.json().visibleCategories, ['contact', 'identity', 'name', 'safety']);
    assert.equal(seen.json().phones[0].value, '+971501110001');
    assert.equal('vulnerabilities' in seen.json(), false);
    assert.equal('location' in seen.json(), false);
    const read = await lastAudit('persons.read');
    assert.equal(read.purpose, 'Shelter referrals');
    const list = await t.app.inject({ url: '/api/persons?limit=200', headers: h });
    assert.deepEqual(
      list.json().items.map((p: { id: string }) => p.id),
      [aeWorker],
    );

    await t.app.inject({
      method: 'POST',
      url: `/api/persons/${aeWorker}/consents`,
      payload: { status: 'withdrawn', channel: 'phone' },
    });
    assert.equal(
      (await t.app.inject({ url: `/api/persons/${aeWorker}`, headers: h })).statusCode,
      404,
      'withdrawal takes effect on the next request',
    );
    assert.equal((await t.app.inject({ url: '/api/persons?limit=200', headers: h })).json().items.length, 0);

    await t.app.inject({
      method: 'POST',
      url: `/api/persons/${aeWorker}/consents`,
      payload: { status: 'granted', channel: 'phone' },
    });
    assert.equal((await t.app.inject({ url: `/api/persons/${aeWorker}`, headers: h })).statusCode, 200);
    const ended = await t.app.inject({ method: 'POST', url: `/api/agreements/${agreement.json().id}/end` });
    assert.equal(ended.statusCode, 200);
    assert.equal(
      (await t.app.inject({ url: `/api/persons/${aeWorker}`, headers: h })).statusCode,
      404,
      'ending the agreement takes effect on the next request',
    );
  });

  test('the life-saving override needs a reason, is time-limited and flagged in the audit', async () => {
    const h = t.as('partner_caseworker');
    const noReason = await t.app.inject({
      method: 'POST',
      url: `/api/persons/${hkWorker}/emergency-access`,
      headers: h,
      payload: { reason: 'x' },
    });
    assert.equal(noReason.json().code, 'override.reason_required');
    const tooLong = await t.app.inject({
      method: 'POST',
      url: `/api/persons/${hkWorker}/emergency-access`,
      headers: h,
      payload: { reason: 'Trapped in a collapsed building', minutes: 10000 },
    });
    assert.equal(tooLong.json().code, 'override.duration_invalid');
    const open = await t.app.inject({
      method: 'POST',
      url: `/api/persons/${hkWorker}/emergency-access`,
      headers: h,
      payload: { reason: 'Trapped in a collapsed building', minutes: 30 },
    });
    assert.equal(open.statusCode, 201, open.body);
    const seen = await t.app.inject({ url: `/api/persons/${hkWorker}`, headers: h });
    assert.equal(seen.statusCode, 200);
    assert.equal(seen.json().emergencyAccess, true);
    const entry = await lastAudit('persons.read');
    assert.equal(entry.emergency, 1);
    await t.database.db
      .updateTable('emergency_overrides')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .execute();
    assert.equal(
      (await t.app.inject({ url: `/api/persons/${hkWorker}`, headers: h })).statusCode,
      404,
      'the override expires',
    );
  });

  test('aggregate-only roles and auditors never see an individual', async () => {
    for (const role of ['host_authority', 'analyst', 'auditor'] as const) {
      const r = await t.app.inject({ url: `/api/persons/${aeWorker}`, headers: t.as(role) });
      assert.equal(r.statusCode, 403, role);
      assert.equal(r.json().code, 'access.forbidden');
    }
    const audit = await t.app.inject({ url: '/api/audit?limit=5', headers: t.as('auditor') });
    assert.equal(audit.statusCode, 200);
    assert.ok(audit.json().items.length > 0);
    assert.equal((await t.app.inject({ url: '/api/audit', headers: t.as('hq_admin') })).statusCode, 403);
    const agg = await t.app.inject({
      url: '/api/aggregates/registry?by=country',
      headers: t.as('host_authority'),
    });
    assert.equal(agg.statusCode, 200, agg.body);
    for (const cell of agg.json().cells) assert.ok(cell.suppressed ? cell.count === null : cell.count >= 5);
  });
});

describe('audit log', () => {
  test('every read of a person is audited, the chain verifies, and an edit is found', async () => {
    const id = await person({ givenNames: 'Audited' });
    const before = await t.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await t.app.inject(`/api/persons/${id}`);
    await t.app.inject({ method: 'POST', url: '/api/persons/search', payload: { name: 'audited' } });
    const afterCount = await t.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n) - Number(before.n), 2);
    const list = await lastAudit('persons.list');
    assert.deepEqual(JSON.parse(list.person_ids), [id]);
    assert.equal(list.actor_user_id, t.fixtures.users.hq_admin.id);
    assert.ok(list.ip);

    const verified = await t.app.inject({ url: '/api/audit/verify', headers: t.as('auditor') });
    assert.equal(verified.json().ok, true);
    assert.equal((await verifyAuditChain(t.database.db)).ok, true);
    const victim = await t.database.db
      .selectFrom('audit_log')
      .select('seq')
      .orderBy('seq')
      .offset(2)
      .limit(1)
      .executeTakeFirstOrThrow();
    await t.database.db
      .updateTable('audit_log')
      .set({ outcome: 'allowed', purpose: 'edited' })
      .where('seq', '=', victim.seq)
      .execute();
    const broken = await verifyAuditChain(t.database.db);
    assert.deepEqual(broken.ok ? null : broken.brokenAt, victim.seq);
    await t.database.db.deleteFrom('audit_log').where('seq', '=', victim.seq).execute();
    const gap = await verifyAuditChain(t.database.db);
    assert.equal(gap.ok, false);
    assert.equal(gap.ok ? 0 : gap.brokenAt, victim.seq);
  });
});

describe('encryption at rest and erasure', () => {
  test('sensitive values never appear in the raw database, and an erased person is gone', async () => {
    const marker = 'unaccompanied_child';
    const id = await person({
      givenNames: 'Erasable',
      familyName: 'Zqxjkperson',
      vulnerabilities: [marker],
      documentStatus: 'lost',
      location: { country: 'AE', lat: 25, lon: 55 },
      sex: 'female',
      birthYear: 1990,
    });
    const read = await t.app.inject(`/api/persons/${id}`);
    assert.deepEqual(read.json().vulnerabilities, [marker], 'decrypted on read');

    const dump = (): string => {
      if (testDialect() === 'sqlite') {
        t.database.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
        return readFileSync(t.database.config.kind === 'sqlite' ? t.database.config.file : '', 'latin1');
      }
      const cfg = t.database.config;
      return execFileSync(
        'pg_dump',
        ['--data-only', `--schema=${cfg.kind === 'postgres' ? cfg.schema : ''}`, cfg.url],
        { encoding: 'latin1', maxBuffer: 1 << 28 },
      );
    };
    const raw = dump();
    assert.equal(raw.includes(marker), false, 'vulnerability stored encrypted');
    assert.ok(raw.includes('Zqxjkperson'), 'the dump itself is readable (names are not encrypted)');

    // The person's own words: an answer and a help request with its free text.
    const answered = await t.app.inject({
      method: 'POST',
      url: `/api/persons/${id}/responses`,
      payload: { answer: 'need_help' },
    });
    assert.equal(answered.statusCode, 201, answered.body);
    const asked = await t.app.inject({
      method: 'POST',
      url: `/api/persons/${id}/help-requests`,
      payload: { type: 'shelter', text: 'Zqxjkshelter needed for two' },
    });
    assert.equal(asked.statusCode, 201, asked.body);

    const noReason = await t.app.inject({
      method: 'POST',
      url: `/api/persons/${id}/erase`,
      payload: { reason: ' ' },
    });
    assert.equal(noReason.json().code, 'erasure.reason_required');
    const erased = await t.app.inject({
      method: 'POST',
      url: `/api/persons/${id}/erase`,
      payload: { reason: 'Asked to be forgotten' },
    });
    assert.equal(erased.statusCode, 204, erased.body);
    assert.equal((await t.app.inject(`/api/persons/${id}`)).statusCode, 404);
    for (const table of ['responses', 'help_requests'] as const) {
      const left = await t.database.db.selectFrom(table).select('id').where('person_id', '=', id).execute();
      assert.deepEqual(left, [], `no ${table} left`);
    }
    const tomb = await t.database.db.selectFrom('erased_persons').selectAll().execute();
    assert.deepEqual(
      tomb.map((r) => [r.location_country, r.sex, r.age_band]),
      [['AE', 'female', '30-44']],
    );
    const entry = await lastAudit('persons.erase');
    assert.deepEqual(JSON.parse(entry.person_ids), [id]);
    assert.equal(entry.purpose, 'Asked to be forgotten');
    assert.doesNotMatch(JSON.stringify(entry), /Zqxjk|Erasable/);
    if (testDialect() === 'sqlite')
      assert.equal(dump().includes('Zqxjkperson'), false, 'no trace left in the SQLite file');
  });
});

describe('HTTP hardening', () => {
  test('security headers, no caching of API answers, and body limits', async () => {
    const r = await t.anonymous({ url: '/api/health' });
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(r.headers['cache-control'], 'no-store');
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/persons',
      payload: { givenNames: 'x'.repeat(2_000_000) },
    });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().code, 'request.too_large');
  });
});
