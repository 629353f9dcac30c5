import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { totpCode } from '../access/auth.service.ts';
import { seedDemoUsers } from './demo-users.ts';
import { seedDemo } from './seed.service.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
  await seedDemo(t.database, { people: 200, seed: 7, force: true });
});
after(async () => {
  await t?.close();
});

test('the demo seed creates one working account per role', async () => {
  const creds = await seedDemoUsers(t.database.db);
  assert.deepEqual(creds.map((c) => c.role).sort(), [
    'analyst',
    'auditor',
    'consular_officer',
    'crisis_manager',
    'employer_liaison',
    'host_authority',
    'hq_admin',
    'partner_caseworker',
  ]);
  const officer = creds.find((c) => c.role === 'consular_officer')!;
  const login = await t.anonymous({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: officer.email, password: officer.password },
  });
  assert.equal(login.statusCode, 200, login.body);
  assert.equal(login.json().mustChangePassword, false);
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const mfa = await t.anonymous({
    method: 'POST',
    url: '/api/auth/totp',
    headers: { cookie, 'x-csrf-token': login.json().csrfToken },
    payload: { code: totpCode(officer.totpSecret!) },
  });
  assert.equal(mfa.statusCode, 204, mfa.body);
  const list = await t.anonymous({ url: '/api/persons?limit=50', headers: { cookie } });
  assert.equal(list.statusCode, 200);
  const countries = new Set(
    list.json().items.map((p: { location: { country: string } }) => p.location.country),
  );
  assert.deepEqual([...countries], ['SA'], 'the demo officer works in Saudi Arabia only');

  const again = await seedDemoUsers(t.database.db);
  assert.notEqual(again[0]!.password, creds[0]!.password, 'a re-run resets the passwords it prints');
});
