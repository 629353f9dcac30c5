import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ROLES, type Role } from '../../src/domain/access/policy.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

/**
 * The expected access matrix, written out by hand and independent of the policy code: for each route,
 * who may call it. 'public' needs no sign-in; 'session' is any signed-in role. Adding a route to the
 * API without adding it here fails this test, and so does a route whose outcome differs.
 */
const ALL: readonly Role[] = ROLES;
const PEOPLE: Role[] = [
  'hq_admin',
  'crisis_manager',
  'consular_officer',
  'partner_caseworker',
  'employer_liaison',
];
const STAFF: Role[] = ['hq_admin', 'crisis_manager', 'consular_officer', 'partner_caseworker'];
const AGGREGATES: Role[] = ['hq_admin', 'crisis_manager', 'consular_officer', 'host_authority', 'analyst'];
const EXPECTED: Record<string, 'public' | 'session' | readonly Role[]> = {
  'GET /api/health': 'public',
  'GET /api/reference/countries': 'public',
  'GET /api/reference/languages': 'public',
  'GET /api/reference/boundaries': 'public',
  'GET /api/reference/countries/{code}/boundary': 'public',
  'GET /api/posts': 'public',
  'GET /api/posts/{id}': 'public',
  'POST /api/posts': ['hq_admin'],
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'session',
  'GET /api/auth/me': 'session',
  'POST /api/auth/password': 'session',
  'POST /api/auth/totp/enroll': 'session',
  'POST /api/auth/totp': 'session',
  'GET /api/users': ['hq_admin'],
  'POST /api/users': ['hq_admin'],
  'POST /api/tokens': ['hq_admin'],
  'GET /api/agreements': ['hq_admin', 'crisis_manager'],
  'POST /api/agreements': ['hq_admin'],
  'POST /api/agreements/{id}/end': ['hq_admin'],
  'GET /api/audit': ['auditor'],
  'GET /api/audit/verify': ['auditor'],
  'GET /api/aggregates/registry': AGGREGATES,
  'GET /api/persons': PEOPLE,
  'POST /api/persons/search': PEOPLE,
  'POST /api/persons': ['hq_admin', 'consular_officer'],
  'GET /api/persons/{id}': PEOPLE,
  'PATCH /api/persons/{id}': ['hq_admin', 'consular_officer'],
  'DELETE /api/persons/{id}': ['hq_admin', 'consular_officer'],
  'POST /api/persons/{id}/erase': ['hq_admin', 'consular_officer'],
  'POST /api/persons/{id}/consents': ['hq_admin', 'consular_officer'],
  'POST /api/persons/{id}/emergency-access': STAFF,
  'GET /api/organizations': STAFF,
  'POST /api/organizations': ['hq_admin'],
  'GET /api/organizations/{id}': STAFF,
  'GET /api/households': STAFF,
  'POST /api/households': ['hq_admin', 'consular_officer'],
  'GET /api/households/{id}': STAFF,
  'POST /api/imports': ['hq_admin', 'consular_officer'],
  'GET /api/imports/{id}': ['hq_admin', 'consular_officer'],
  'GET /api/imports/{id}/rejections': ['hq_admin', 'consular_officer'],
  'GET /api/alert-schemes/current': [
    'hq_admin',
    'crisis_manager',
    'consular_officer',
    'partner_caseworker',
    'employer_liaison',
    'host_authority',
    'analyst',
  ],
  'PUT /api/alert-schemes/current': ['hq_admin'],
  'POST /api/alert-schemes/current/preset': ['hq_admin'],
  'GET /api/areas': [
    'hq_admin',
    'crisis_manager',
    'consular_officer',
    'partner_caseworker',
    'employer_liaison',
    'host_authority',
    'analyst',
  ],
  'POST /api/areas': ['crisis_manager'],
  'GET /api/areas/{id}': [
    'hq_admin',
    'crisis_manager',
    'consular_officer',
    'partner_caseworker',
    'employer_liaison',
    'host_authority',
    'analyst',
  ],
  'POST /api/alert-levels': ['crisis_manager'],
  'GET /api/alert-levels/current': [
    'hq_admin',
    'crisis_manager',
    'consular_officer',
    'partner_caseworker',
    'employer_liaison',
    'host_authority',
    'analyst',
  ],
  'GET /api/alert-levels/history': [
    'hq_admin',
    'crisis_manager',
    'consular_officer',
    'partner_caseworker',
    'employer_liaison',
    'host_authority',
    'analyst',
  ],
  'GET /api/alert-levels/at': [
    'hq_admin',
    'crisis_manager',
    'consular_officer',
    'partner_caseworker',
    'employer_liaison',
    'host_authority',
    'analyst',
  ],
  'GET /api/tasks': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'PATCH /api/tasks/{id}': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /public/levels.json': 'public',
  'GET /public/levels': 'public',
  'POST /api/alerts/preview-count': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/alerts': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/alerts': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/alerts/{id}': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'PATCH /api/alerts/{id}': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/alerts/{id}/submit': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/alerts/{id}/approve': ['crisis_manager'],
  'POST /api/alerts/{id}/reject': ['crisis_manager'],
  'POST /api/alerts/{id}/issue': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/alerts/{id}/update': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/alerts/{id}/cancel': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/alerts/{id}/cap.xml': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/alerts/{id}/delivery': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/alerts/{id}/delivery/stream': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/persons/{id}/deliveries': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/cap/import': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/cap/incidents': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/cap/incidents/{id}': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/cap/incidents/{id}/original.xml': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/cap/incidents/{id}/draft-alert': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /public/cap/feed.atom': 'public',
  'GET /public/cap/alerts/{identifier}.xml': 'public',
  'POST /api/evacuation/operations': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/evacuation/operations': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/evacuation/operations/{id}': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'PATCH /api/evacuation/operations/{id}': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/evacuation/operations/{id}/assembly-points': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/evacuation/operations/{id}/assembly-points': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/evacuation/operations/{id}/hubs': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/evacuation/operations/{id}/hubs': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/evacuation/operations/{id}/legs': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/evacuation/operations/{id}/legs': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'PATCH /api/evacuation/legs/{id}': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/evacuation/legs/{id}/cancel': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/evacuation/operations/{id}/evacuees': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/evacuation/operations/{id}/evacuees': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'PATCH /api/evacuation/operations/{id}/evacuees/{personId}': [
    'hq_admin',
    'crisis_manager',
    'consular_officer',
  ],
  'POST /api/evacuation/operations/{id}/plan': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/evacuation/operations/{id}/plan': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/evacuation/legs/{id}/manifest.csv': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/evacuation/legs/{id}/manifest.html': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/evacuation/legs/{id}/boarding-passes': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/evacuation/legs/{id}/close-boarding': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/evacuation/legs/{id}/arrived': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/evacuation/operations/{id}/return-cases': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/evacuation/operations/{id}/evacuees/{personId}/costs': [
    'hq_admin',
    'crisis_manager',
    'consular_officer',
  ],
  'GET /api/evacuation/operations/{id}/evacuees/{personId}/costs': [
    'hq_admin',
    'crisis_manager',
    'consular_officer',
  ],
  'GET /api/evacuation/operations/{id}/costs': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/evacuation/boarding': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'POST /api/evacuation/boarding/batch': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/evacuation/boarding/legs': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /api/evacuation/operations/{id}/head-counts': ['hq_admin', 'crisis_manager', 'consular_officer'],
  'GET /scan': 'public',
  'GET /scan/app.js': 'public',
  'GET /scan/sw.js': 'public',
};

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(async () => {
  await t?.close();
});

test('every /api route declares a policy', () => {
  assert.deepEqual(t.app.routesWithoutPolicy, []);
});

test('every route answers every role as the matrix says', async () => {
  const doc = (await t.anonymous({ url: '/api/docs/json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'patch', 'put', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
  const unlisted = routes.filter((r) => !(r in EXPECTED));
  assert.deepEqual(unlisted, [], 'routes missing from the expected matrix');
  const mismatches: string[] = [];
  for (const route of routes) {
    const [method, path] = route.split(' ') as [string, string];
    const url = path.replace(/\{id\}/g, '01900000-0000-7000-8000-000000000000').replace(/\{code\}/g, 'PH');
    const expected = EXPECTED[route]!;
    const payload = method === 'GET' || method === 'DELETE' ? undefined : {};
    const anon = await t.anonymous({ method: method as 'GET', url, ...(payload ? { payload } : {}) });
    const anonAllowed = ![401, 403].includes(anon.statusCode);
    if (anonAllowed !== (expected === 'public')) mismatches.push(`${route} anonymous → ${anon.statusCode}`);
    for (const role of ALL) {
      const res = await t.anonymous({
        method: method as 'GET',
        url,
        headers: t.as(role),
        ...(payload ? { payload } : {}),
      });
      const allowed =
        ![401, 403].includes(res.statusCode) ||
        (res.statusCode === 403 && res.json().code !== 'access.forbidden');
      const want = expected === 'public' || expected === 'session' || expected.includes(role);
      if (allowed !== want)
        mismatches.push(`${route} as ${role} → ${res.statusCode} ${res.json?.().code ?? ''}`);
      if (!want && res.statusCode === 403) assert.equal(res.json().code, 'access.forbidden');
    }
  }
  assert.deepEqual(mismatches, []);
});
