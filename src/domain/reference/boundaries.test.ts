import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BOUNDARY_RESOLUTIONS,
  containsPoint,
  countryBoundary,
  createPointLocator,
  listCountryBoundaries,
  roundGeometry,
  worldMapBoundaries,
} from './boundaries.ts';
import { listCountries } from './countries.ts';

// [lon, lat] of places whose country is not in doubt.
const RIYADH = [46.6753, 24.7136] as const;
const DOHA = [51.531, 25.2854] as const;
const MONG_KOK = [114.1694, 22.3193] as const;
const KYTHREA = [33.48, 35.25] as const; // in the north of Cyprus, drawn apart by Natural Earth
const NICOSIA = [33.3823, 35.1856] as const;
const HARGEISA = [44.065, 9.56] as const; // Somaliland, which ISO counts as Somalia
const PRISTINA = [21.1655, 42.6629] as const;
const PERSIAN_GULF = [51.5, 27.0] as const; // open water between Qatar and Iran

const inside = (
  code: string,
  [lon, lat]: readonly [number, number],
  resolution: (typeof BOUNDARY_RESOLUTIONS)[number] = '10m',
) => {
  const boundary = countryBoundary(code, resolution);
  assert.ok(boundary, `${code} has a boundary at ${resolution}`);
  return containsPoint(boundary.geometry, lon, lat);
};

describe('country boundaries', () => {
  test('a point in Riyadh is in Saudi Arabia and not in Qatar; Doha the other way round', () => {
    assert.equal(inside('SA', RIYADH), true);
    assert.equal(inside('QA', RIYADH), false);
    assert.equal(inside('QA', DOHA), true);
    assert.equal(inside('SA', DOHA), false);
    assert.equal(inside('SAU', RIYADH), true, 'alpha-3 codes work too');
    assert.equal(inside('SA', RIYADH, '110m'), true, 'at every scale');
  });

  test('the sea is in no country', () => {
    for (const code of ['SA', 'QA', 'AE', 'BH', 'IR']) assert.equal(inside(code, PERSIAN_GULF), false, code);
  });

  test('Hong Kong, Singapore and Bahrain exist although 1:110m leaves them out', () => {
    assert.equal(countryBoundary('HK', '110m')?.properties.resolution, '50m');
    assert.equal(countryBoundary('HK')?.properties.resolution, '10m', 'the finest scale by default');
    assert.equal(inside('HK', MONG_KOK, '10m'), true);
    assert.ok(countryBoundary('SG', '110m'));
    assert.ok(countryBoundary('BH', '110m'));
  });

  test('Natural Earth features without an ISO id are folded into the ISO country or given their code', () => {
    assert.equal(inside('CY', KYTHREA), true, 'northern Cyprus is in Cyprus');
    assert.equal(inside('CY', NICOSIA), true);
    assert.equal(inside('SO', HARGEISA), true, 'Somaliland is in Somalia');
    assert.equal(inside('XK', PRISTINA), true, 'Kosovo has its own boundary');
    assert.equal(inside('RS', PRISTINA), false);
    assert.ok(countryBoundary('CX'), 'Christmas Island, split from "Indian Ocean Ter."');
    assert.ok(countryBoundary('CC'), 'Cocos (Keeling) Islands, split from "Indian Ocean Ter."');
    assert.equal(containsPoint(countryBoundary('CX')!.geometry, 105.69, -10.45), true);
  });

  test('unknown codes and territories Natural Earth draws inside another country have no boundary', () => {
    assert.equal(countryBoundary('ZZ'), undefined);
    assert.equal(countryBoundary(''), undefined);
    for (const resolution of BOUNDARY_RESOLUTIONS) {
      assert.equal(
        countryBoundary('RE', resolution),
        undefined,
        'Réunion is part of France in Natural Earth',
      );
    }
  });

  test('each boundary is a Feature keyed by a known alpha-2 code, once per scale', () => {
    const known = new Set(listCountries().map((c) => c.alpha2));
    for (const resolution of ['110m', '50m'] as const) {
      const list = listCountryBoundaries(resolution);
      assert.ok(list.length > 170, `${resolution}: ${list.length} boundaries`);
      const ids = list.map((b) => b.id);
      assert.equal(new Set(ids).size, ids.length, 'no duplicate ids (Australia and Ashmore are merged)');
      for (const b of list) {
        assert.ok(known.has(b.id), b.id);
        assert.equal(b.properties.code, b.id);
        assert.ok(b.geometry.type === 'Polygon' || b.geometry.type === 'MultiPolygon');
      }
    }
  });

  test('the world map has every 1:50m country, coarse where 1:110m has it', () => {
    const map = worldMapBoundaries();
    const byId = new Map(map.features.map((f) => [f.id, f]));
    assert.equal(byId.size, listCountryBoundaries('50m').length);
    assert.equal(byId.get('SA')?.properties.resolution, '110m');
    assert.equal(byId.get('HK')?.properties.resolution, '50m');
  });

  test('the point locator agrees with the plain ray-casting test', () => {
    const geometry = countryBoundary('HK', '10m')!.geometry;
    const locate = createPointLocator(geometry);
    let insideCount = 0;
    // A grid over Hong Kong's harbour, islands and the border with Shenzhen.
    for (let lon = 113.82; lon <= 114.45; lon += 0.013) {
      for (let lat = 22.13; lat <= 22.58; lat += 0.011) {
        const expected = containsPoint(geometry, lon, lat);
        assert.equal(locate(lon, lat), expected, `${lon},${lat}`);
        if (expected) insideCount++;
      }
    }
    assert.ok(insideCount > 200, 'the grid covers land as well as sea');
  });

  test('rounding keeps the shape and cuts the decimals', () => {
    const g = roundGeometry(countryBoundary('QA')!.geometry, 3);
    const first = (g.type === 'Polygon' ? g.coordinates[0]![0] : g.coordinates[0]![0]![0])!;
    assert.ok(first.every((x) => Math.abs(x * 1000 - Math.round(x * 1000)) < 1e-6));
    assert.equal(containsPoint(g, DOHA[0], DOHA[1]), true);
  });
});
