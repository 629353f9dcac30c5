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
// Operational work (alerts, delivery, evacuation): headquarters and the posts.
const OPERATIONS: Role[] = ['hq_admin', 'crisis_manager', 'consular_officer'];
const AGGREGATES: Role[] = ['hq_admin', 'crisis_manager', 'consular_officer', 'host_authority', 'analyst'];
// Board figures: operations exactly, host authorities and analysts with small cells hidden.
const BOARD: Role[] = [...OPERATIONS, 'host_authority', 'analyst'];
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
  'GET /api/tasks': OPERATIONS,
  'PATCH /api/tasks/{id}': OPERATIONS,
  'GET /public/levels.json': 'public',
  'GET /public/levels': 'public',
  'POST /api/alerts/preview-count': OPERATIONS,
  'POST /api/alerts': OPERATIONS,
  'GET /api/alerts': OPERATIONS,
  'GET /api/alerts/{id}': OPERATIONS,
  'PATCH /api/alerts/{id}': OPERATIONS,
  'POST /api/alerts/{id}/submit': OPERATIONS,
  'POST /api/alerts/{id}/approve': ['crisis_manager'],
  'POST /api/alerts/{id}/reject': ['crisis_manager'],
  'POST /api/alerts/{id}/issue': OPERATIONS,
  'POST /api/alerts/{id}/update': OPERATIONS,
  'POST /api/alerts/{id}/cancel': OPERATIONS,
  'GET /api/alerts/{id}/cap.xml': OPERATIONS,
  'GET /api/alerts/{id}/delivery': OPERATIONS,
  'GET /api/alerts/{id}/delivery/stream': OPERATIONS,
  'GET /api/persons/{id}/deliveries': OPERATIONS,
  'POST /api/delivery/receipts/{provider}': 'public',
  'GET /api/alerts/{id}/board': BOARD,
  'GET /api/alerts/{id}/board/stream': BOARD,
  'GET /api/alerts/{id}/board/timeline': BOARD,
  'GET /api/alerts/{id}/board/unaccounted': OPERATIONS,
  'GET /api/incidents/{id}/board': BOARD,
  'GET /api/incidents/{id}/board/stream': BOARD,
  'GET /api/incidents/{id}/board/timeline': BOARD,
  'GET /api/incidents/{id}/board/unaccounted': OPERATIONS,
  'GET /api/board/subjects': BOARD,
  'GET /api/call-list': OPERATIONS,
  'POST /api/call-list/{id}/outcome': OPERATIONS,
  // Replies: officers record an answer taken by phone; whoever may see a person's safety reads the history.
  'POST /api/persons/{id}/responses': OPERATIONS,
  'GET /api/persons/{id}/responses': PEOPLE,
  'GET /api/inbound/messages': OPERATIONS,
  // The SMS gateway's webhook is signed, not signed in (503 here: the test app configures no secret).
  'POST /api/inbound/sms': 'public',
  // Reply links: the token is the capability.
  'GET /r/{token}': 'public',
  'POST /r/{token}': 'public',
  'POST /api/cap/import': OPERATIONS,
  'GET /api/cap/incidents': OPERATIONS,
  'GET /api/cap/incidents/{id}': OPERATIONS,
  'GET /api/cap/incidents/{id}/original.xml': OPERATIONS,
  'POST /api/cap/incidents/{id}/draft-alert': OPERATIONS,
  'GET /public/cap/feed.atom': 'public',
  'GET /public/cap/alerts/{identifier}.xml': 'public',
  'POST /api/evacuation/operations': OPERATIONS,
  'GET /api/evacuation/operations': OPERATIONS,
  'GET /api/evacuation/operations/{id}': OPERATIONS,
  'PATCH /api/evacuation/operations/{id}': OPERATIONS,
  'POST /api/evacuation/operations/{id}/assembly-points': OPERATIONS,
  'GET /api/evacuation/operations/{id}/assembly-points': OPERATIONS,
  'POST /api/evacuation/operations/{id}/hubs': OPERATIONS,
  'GET /api/evacuation/operations/{id}/hubs': OPERATIONS,
  'POST /api/evacuation/operations/{id}/legs': OPERATIONS,
  'GET /api/evacuation/operations/{id}/legs': OPERATIONS,
  'PATCH /api/evacuation/legs/{id}': OPERATIONS,
  'POST /api/evacuation/legs/{id}/cancel': OPERATIONS,
  'POST /api/evacuation/operations/{id}/evacuees': OPERATIONS,
  'POST /api/evacuation/operations/{id}/evacuees/from-requests': OPERATIONS,
  'GET /api/evacuation/operations/{id}/evacuees': OPERATIONS,
  'PATCH /api/evacuation/operations/{id}/evacuees/{personId}': OPERATIONS,
  'POST /api/evacuation/operations/{id}/plan': OPERATIONS,
  'GET /api/evacuation/operations/{id}/plan': OPERATIONS,
  'GET /api/evacuation/legs/{id}/manifest.csv': OPERATIONS,
  'GET /api/evacuation/legs/{id}/manifest.html': OPERATIONS,
  'GET /api/evacuation/legs/{id}/manifest.json': OPERATIONS,
  'GET /api/evacuation/legs/{id}/boarding-passes': OPERATIONS,
  'POST /api/evacuation/legs/{id}/boarding-passes/send': OPERATIONS,
  'POST /api/evacuation/legs/{id}/close-boarding': OPERATIONS,
  'POST /api/evacuation/legs/{id}/arrived': OPERATIONS,
  'GET /api/evacuation/operations/{id}/return-cases': OPERATIONS,
  'POST /api/evacuation/operations/{id}/evacuees/{personId}/costs': OPERATIONS,
  'GET /api/evacuation/operations/{id}/evacuees/{personId}/costs': OPERATIONS,
  'GET /api/evacuation/operations/{id}/costs': OPERATIONS,
  'POST /api/evacuation/boarding': OPERATIONS,
  'POST /api/evacuation/boarding/batch': OPERATIONS,
  'GET /api/evacuation/boarding/legs': OPERATIONS,
  'GET /api/evacuation/operations/{id}/head-counts': OPERATIONS,
  // Help requests: the posts and headquarters work them; a partner works the ones referred to it.
  'GET /api/help-requests': STAFF,
  'GET /api/help-requests/{id}': STAFF,
  'GET /api/help-requests/{id}/photo': STAFF,
  'GET /api/help-requests/{id}/assignees': STAFF,
  'GET /api/help-requests/{id}/partners': OPERATIONS,
  'POST /api/persons/{id}/help-requests': OPERATIONS,
  'POST /api/help-requests/{id}/assign': STAFF,
  'POST /api/help-requests/{id}/refer': OPERATIONS,
  'POST /api/help-requests/{id}/status': OPERATIONS,
  'POST /api/help-requests/{id}/notes': STAFF,
  'POST /api/help-requests/{id}/close': STAFF,
  // The migrant app: sign-in is open; everything else takes a migrant session, which no staff role has.
  'POST /api/me/sign-in': 'public',
  'POST /api/me/verify': 'public',
  'POST /api/me/sign-out': [],
  'GET /api/me': [],
  'GET /api/me/alerts': [],
  'POST /api/me/responses': [],
  'POST /api/me/help-requests': [],
  'GET /api/me/help-requests': [],
  'GET /api/me/contacts': [],
  'POST /api/me/push-subscription': [],
  'DELETE /api/me/push-subscription': [],
  'GET /scan': 'public',
  'GET /scan/app.js': 'public',
  'GET /scan/sw.js': 'public',
  'GET /pass/{token}': 'public',
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
