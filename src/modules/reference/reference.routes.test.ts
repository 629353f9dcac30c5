import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { containsPoint } from '../../domain/reference/boundaries.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(async () => {
  await t?.close();
});

// Reference data is public: every request here goes without credentials.
const get = (url: string, headers: Record<string, string> = {}) =>
  t.anonymous({ method: 'GET', url, headers });

describe('reference API', () => {
  test('a country boundary is a GeoJSON Feature that contains the capital', async () => {
    const res = await get('/api/reference/countries/sa/boundary');
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^application\/geo\+json/);
    assert.match(String(res.headers['cache-control']), /max-age=\d+/);
    const f = res.json();
    assert.equal(f.type, 'Feature');
    assert.equal(f.id, 'SA');
    assert.deepEqual(f.properties, { code: 'SA', alpha3: 'SAU', name: 'Saudi Arabia', resolution: '50m' });
    assert.equal(containsPoint(f.geometry, 46.6753, 24.7136), true, 'Riyadh');

    const fine = await get('/api/reference/countries/SAU/boundary?resolution=10m');
    assert.equal(fine.json().properties.resolution, '10m');
    assert.ok(fine.body.length > res.body.length, 'the 1:10m outline is more detailed');
  });

  test('Hong Kong has a boundary even at the map scale that leaves it out', async () => {
    const res = await get('/api/reference/countries/HK/boundary?resolution=110m');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().properties.resolution, '50m');
  });

  test('unknown codes, territories without an outline and bad scales are problems', async () => {
    const unknown = await get('/api/reference/countries/ZZ/boundary');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(unknown.json().code, 'reference.country_not_found');

    const none = await get('/api/reference/countries/RE/boundary');
    assert.equal(none.statusCode, 404);
    assert.equal(none.json().code, 'reference.boundary_not_found');

    const bad = await get('/api/reference/countries/SA/boundary?resolution=1m');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'request.invalid');
  });

  test('the world map holds every country and revalidates with its ETag', async () => {
    const res = await get('/api/reference/boundaries');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['cache-control']), /public/);
    const etag = String(res.headers.etag);
    assert.ok(etag.length > 2);
    const map = res.json();
    assert.equal(map.type, 'FeatureCollection');
    const ids = new Set(map.features.map((f: { id: string }) => f.id));
    for (const code of ['SA', 'AE', 'QA', 'KW', 'LB', 'IL', 'HK', 'IT', 'SG', 'BH', 'PH'])
      assert.ok(ids.has(code), code);

    const again = await get('/api/reference/boundaries', { 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
  });

  test('countries and languages are listed', async () => {
    const countries = (await get('/api/reference/countries')).json();
    assert.ok(countries.items.some((c: { alpha2: string }) => c.alpha2 === 'PH'));
    const languages = (await get('/api/reference/languages')).json();
    const ar = languages.items.find((l: { tag: string }) => l.tag === 'ar');
    assert.deepEqual(ar, { tag: 'ar', name: 'Arabic', nativeName: 'العربية', direction: 'rtl' });
  });
});
