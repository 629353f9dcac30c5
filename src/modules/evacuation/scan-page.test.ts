// The boarding scanner: the page and its files as served, and the scanner's script run against the
// real API (through the app, signed in as a consular officer) with the browser objects it touches
// stood in for: scans taken offline wait on the phone and board people once the network is back.
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import vm from 'node:vm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { type Caller, callerFor, expectStatus, HOUR } from './evacuation.test-kit.ts';
import { SCAN_LANGUAGES, SCAN_MESSAGES, type ScanLanguage } from './scan-messages.ts';
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
  for (let i = 0; i < 3; i++) {
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
    const scripts = (page.body.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? []).filter(
      (tag) => !tag.startsWith('<script type="application/json" id="scan-messages">'),
    );
    assert.deepEqual(scripts, ['<script type="module" src="/scan/app.js"></script>'], 'no inline script');
    assert.deepEqual(messagesOf(page.body), SCAN_MESSAGES.en, "the script's words travel as data");
    const script = await t.anonymous({ url: '/scan/app.js' });
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /^text\/javascript/);
    const worker = await t.anonymous({ url: '/scan/sw.js' });
    assert.equal(worker.statusCode, 200);
    assert.equal(worker.headers['service-worker-allowed'], '/scan');
    assert.match(worker.body, /caches\.open/);
    assert.match(worker.body, /ignoreVary: true/, 'a page kept in one language serves offline');
  });

  test('speaks the language asked for with ?lang=, else Accept-Language, else English; Arabic right to left', async () => {
    const page = async (url: string, acceptLanguage?: string) => {
      const res = await t.anonymous({
        url,
        ...(acceptLanguage ? { headers: { 'accept-language': acceptLanguage } } : {}),
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers.vary, 'Accept-Language');
      const [, lang, dir] = /<html lang="(\w+)" dir="(\w+)">/.exec(res.body) ?? [];
      return { lang, dir, body: res.body };
    };
    const arabic = await page('/scan?lang=ar');
    assert.deepEqual([arabic.lang, arabic.dir], ['ar', 'rtl']);
    assert.match(arabic.body, /<title>ماسح بطاقات الصعود<\/title>/);
    assert.match(arabic.body, /<label for="token">أو اكتب الرمز المطبوع تحت رمز QR أو الصقه<\/label>/);
    assert.match(arabic.body, /<input id="token"[^>]* dir="ltr">/, 'a pass code reads left to right');
    assert.deepEqual(messagesOf(arabic.body), SCAN_MESSAGES.ar);
    assert.match(arabic.body, /<a href="\/scan\?lang=en" lang="en" hreflang="en">English<\/a>/);
    assert.deepEqual(
      [(await page('/scan', 'ar-AE,ar;q=0.9,en;q=0.5')).lang, (await page('/scan', 'ar-AE')).dir],
      ['ar', 'rtl'],
    );
    assert.equal((await page('/scan', 'fr-FR, en;q=0.8, ar;q=0.5')).lang, 'en', 'the best offered');
    assert.equal((await page('/scan', 'fr-FR')).lang, 'en', 'English when nothing asked for is offered');
    assert.equal((await page('/scan?lang=en', 'ar')).lang, 'en', 'an explicit choice wins');
    assert.equal((await page('/scan?lang=xx', 'ar')).lang, 'ar', 'an unknown choice is ignored');
    const english = await page('/scan');
    assert.deepEqual([english.lang, english.dir], ['en', 'ltr']);
  });

  test("every word the script shows exists in every language, and is the page's", () => {
    const keys = new Set(Object.keys(SCAN_MESSAGES.en));
    const used = [...scanAssets.script.matchAll(/\bt\('([\w.]+)'/g)].map((m) => m[1]!);
    assert.ok(used.length > 20);
    for (const key of used) assert.ok(keys.has(key), `${key} is a scanner message`);
    for (const lang of SCAN_LANGUAGES) {
      assert.deepEqual(Object.keys(SCAN_MESSAGES[lang]).sort(), [...keys].sort(), `${lang} is complete`);
      for (const [key, text] of Object.entries(SCAN_MESSAGES[lang])) {
        const placeholders = (value: string) => [...value.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        assert.deepEqual(
          placeholders(text),
          placeholders(SCAN_MESSAGES.en[key as keyof typeof SCAN_MESSAGES.en]),
          `${lang} ${key} keeps its placeholders`,
        );
      }
    }
  });
});

function messagesOf(html: string): unknown {
  const block = /<script type="application\/json" id="scan-messages">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(block, 'the page carries its messages');
  return JSON.parse(block[1]!);
}

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
function startScanner(online: boolean, lang: ScanLanguage = 'en') {
  const elements = new Map<string, StandInElement>();
  const element = (id: string) => {
    if (!elements.has(id)) elements.set(id, new StandInElement());
    return elements.get(id)!;
  };
  element('scan-messages').textContent = JSON.stringify(SCAN_MESSAGES[lang]);
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
    assert.match(scanner.element('heads').textContent, /^1 aboard of 3 expected/);
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
    assert.match(scanner.element('heads').textContent, /^2 aboard of 3 expected/);
  });

  test('speaks Arabic when the page is Arabic: offline, on syncing, and when it refuses a pass', async () => {
    const scanner = startScanner(false, 'ar');
    const ar = SCAN_MESSAGES.ar;
    assert.equal(scanner.element('network').textContent, ar['network.offline']);
    const options = () => scanner.element('leg').children as { text: string; value: string }[];
    await settle(() => options().length > 0);
    assert.equal(options()[0]!.text, ar['leg.choose']);
    scanner.element('leg').value = legId;
    scanner.submit(tokens[2]!);
    await settle(() => scanner.queue().length === 1);
    const title = () => (scanner.element('result').children[0] as StandInElement | undefined)?.textContent;
    assert.equal(title(), ar['board.offlineTitle']);
    assert.equal(scanner.element('queued').textContent, 'عمليات مسح بانتظار المزامنة: 1');

    scanner.navigator.onLine = true;
    scanner.window.fire('online');
    await settle(() => scanner.queue().length === 0 && title() === ar['sync.title']);
    assert.match(scanner.element('heads').textContent, /^على المتن 3 من أصل 3 متوقَّعين/);
    await settle(() => options().some((o) => o.value === legId));
    assert.match(options().find((o) => o.value === legId)!.text, / · حافلة إلى Border \(Storm \(test\)\)$/);

    scanner.submit(`${tokens[2]!.slice(0, -2)}xx`);
    await settle(() => scanner.element('result').className === 'result refused');
    assert.equal(title(), ar['refused.evacuation.token_invalid']);
    const detail = scanner.element('result').children[1] as StandInElement;
    assert.equal(detail.textContent, ar['detail.evacuation.token_invalid']);
    scanner.submit(tokens[2]!);
    await settle(() => scanner.element('result').className === 'result repeat');
    assert.equal(title(), ar['board.already']);
  });
});
