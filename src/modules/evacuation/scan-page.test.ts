// The boarding scanner: the page and its files as served, and the scanner's script run against the
// real API (through the app, signed in as a consular officer) with the browser objects it touches
// stood in for: scans taken offline wait on the phone and board people once the network is back.
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import vm from 'node:vm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { type Caller, callerFor, expectStatus, HOUR } from './evacuation.test-kit.ts';
import { scanAssets } from './scan-page.ts';

let t: TestApp;
let officer: Caller;
let legId: string;
let operationId: string;
let tokens: string[];

before(async () => {
  t = await buildTestApp();
  officer = callerFor(t, 'consular_officer');
  const at = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
  operationId = (
    await expectStatus(
      officer('POST', '/api/evacuation/operations', { crisis: 'Storm (test)', country: 'AE', alertLevel: 4 }),
      201,
    )
  ).id;
  const point = await expectStatus(
    officer('POST', `/api/evacuation/operations/${operationId}/assembly-points`, {
      name: 'Hall',
      lat: 25.2,
      lon: 55.3,
      capacity: 50,
      opensAt: at(-1),
      closesAt: at(24),
      accessible: true,
    }),
    201,
  );
  legId = (
    await expectStatus(
      officer('POST', `/api/evacuation/operations/${operationId}/legs`, {
        mode: 'bus',
        originAssemblyPointId: point.id,
        destination: 'Border',
        departsAt: at(4),
        seats: 10,
      }),
      201,
    )
  ).leg.id;
  const personIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const p = await expectStatus(
      officer('POST', '/api/persons', {
        givenNames: `Scan ${i}`,
        sex: 'M',
        documentStatus: 'with_person',
        location: { lat: 25.21, lon: 55.31, country: 'AE' },
      }),
      201,
    );
    personIds.push(p.id);
  }
  await expectStatus(
    officer('POST', `/api/evacuation/operations/${operationId}/evacuees`, { personIds }),
    200,
  );
  await expectStatus(officer('POST', `/api/evacuation/operations/${operationId}/plan`, {}), 201);
  tokens = (
    await expectStatus(officer('GET', `/api/evacuation/legs/${legId}/boarding-passes`), 200)
  ).items.map((p: { token: string }) => p.token);
});
after(async () => {
  await t?.close();
});

describe('the scanner page', () => {
  test('is served without sign-in, loads only its own script, and allows its service worker scope', async () => {
    const page = await t.anonymous({ url: '/scan' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    const scripts = page.body.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? [];
    assert.deepEqual(scripts, ['<script type="module" src="/scan/app.js"></script>'], 'no inline script');
    const script = await t.anonymous({ url: '/scan/app.js' });
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /^text\/javascript/);
    const worker = await t.anonymous({ url: '/scan/sw.js' });
    assert.equal(worker.statusCode, 200);
    assert.equal(worker.headers['service-worker-allowed'], '/scan');
    assert.match(worker.body, /caches\.open/);
  });
});

// ---------------------------------------------------------------- the script, with stand-in browser objects

class StandInElement {
  textContent = '';
  className = '';
  hidden = false;
  value = '';
  children: unknown[] = [];
  listeners = new Map<string, ((event: unknown) => void)[]>();
  addEventListener(type: string, listener: (event: unknown) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  fire(type: string, event: unknown = {}) {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  replaceChildren(...children: unknown[]) {
    this.children = children;
  }
  append(...children: unknown[]) {
    this.children.push(...children);
  }
  prepend(...children: unknown[]) {
    this.children.unshift(...children);
  }
}

/** Runs the scanner script with its page's elements, a phone's storage, and fetch going to the app. */
function startScanner(online: boolean) {
  const elements = new Map<string, StandInElement>();
  const element = (id: string) => {
    if (!elements.has(id)) elements.set(id, new StandInElement());
    return elements.get(id)!;
  };
  const storage = new Map<string, string>();
  const navigator = { onLine: online };
  const window = new StandInElement();
  const token = t.fixtures.users.consular_officer.token;
  const fetch = async (
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ) => {
    const res = await t.anonymous({
      method: (init.method ?? 'GET') as 'GET',
      url: path,
      headers: { ...(init.headers ?? {}), authorization: `Bearer ${token}` },
      ...(init.body ? { payload: init.body } : {}),
    });
    const response = {
      ok: res.statusCode >= 200 && res.statusCode < 300,
      status: res.statusCode,
      json: async () => res.json(),
      clone: () => response,
    };
    return response;
  };
  const context = vm.createContext({
    document: { getElementById: element, createElement: () => new StandInElement() },
    window,
    navigator,
    localStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => storage.set(key, String(value)),
    },
    fetch,
    crypto: webcrypto,
    Option: class {
      constructor(
        readonly text: string,
        readonly value: string,
      ) {}
    },
    setTimeout,
    setInterval: () => 0,
  });
  vm.runInContext(scanAssets.script, context);
  const queue = () =>
    JSON.parse(storage.get('haven.scan.queue') ?? '[]') as { token: string; scannedAt: string }[];
  const submit = (value: string) => {
    element('token').value = value;
    element('manual').fire('submit', { preventDefault() {} });
  };
  return { element, navigator, window, queue, submit };
}

/** Lets the script's pending requests finish (each is a chain of promises through the app). */
async function settle(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(done(), 'the scanner finished its work');
}

describe('the scanner script', () => {
  test('queues scans offline, then boards them with their scan time when back online', async () => {
    const scanner = startScanner(false);
    assert.match(scanner.element('network').textContent, /Offline/);
    scanner.element('leg').value = legId;
    scanner.submit(tokens[0]!);
    await settle(() => scanner.queue().length === 1);
    scanner.submit(tokens[0]!);
    assert.equal(scanner.queue().length, 1, 'the same pass is queued once');
    assert.equal(scanner.element('result').className, 'result queued');
    const takenAt = scanner.queue()[0]!.scannedAt;

    scanner.navigator.onLine = true;
    scanner.window.fire('online');
    await settle(() => scanner.queue().length === 0 && /aboard/.test(scanner.element('heads').textContent));
    assert.match(scanner.element('heads').textContent, /^1 aboard of 2 expected/);
    const boarding = await t.database.db
      .selectFrom('evacuation_boardings')
      .selectAll()
      .where('leg_id', '=', legId)
      .execute();
    assert.equal(boarding.length, 1);
    assert.equal(boarding[0]!.scanned_at, takenAt, 'the time the pass was scanned, not the time it synced');

    const [prefix, payload, signature] = tokens[1]!.split('.') as [string, string, string];
    scanner.submit(`${prefix}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`);
    await settle(() => scanner.element('result').className === 'result refused');
    scanner.submit(tokens[1]!);
    await settle(() => scanner.element('result').className === 'result boarded');
    assert.match(scanner.element('heads').textContent, /^2 aboard of 2 expected/);
  });
});
