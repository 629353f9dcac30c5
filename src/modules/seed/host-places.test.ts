import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containsPoint, countryBoundary } from '../../domain/reference/boundaries.ts';
import { CITY_LANDLINES, HOST_PROFILES } from './host-places.ts';
import { DEMO_ORIGINS, originProfile } from './origin-profiles.ts';

test('every listed place lies on land, inside its own country (1:10m)', () => {
  for (const host of Object.values(HOST_PROFILES)) {
    const boundary = countryBoundary(host.country, '10m');
    assert.ok(boundary, host.country);
    for (const p of host.places) {
      assert.ok(
        containsPoint(boundary.geometry, p.lon, p.lat),
        `${p.name} (${host.country}) at ${p.lat},${p.lon}`,
      );
      assert.ok(p.weight > 0 && p.spreadKm > 0 && p.districts.length > 0, p.name);
    }
    assert.ok(
      host.places.some((p) => p.name === host.capital || p.city === host.capital),
      `${host.country} capital`,
    );
    const units = host.units.single + host.units.group + host.units.family;
    assert.ok(Math.abs(units - 1) < 1e-9, `${host.country} unit shares sum to 1`);
  }
});

test('origin profiles: host shares sum to 1, each host is described, each post city has a switchboard numbering', () => {
  for (const code of DEMO_ORIGINS) {
    const profile = originProfile(code)!;
    const total = Object.values(profile.hostShares).reduce((s, x) => s + x, 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `${code} shares sum to ${total}`);
    for (const host of Object.keys(profile.hostShares)) {
      assert.ok(HOST_PROFILES[host], `${code} → ${host}`);
      assert.ok(CITY_LANDLINES[HOST_PROFILES[host]!.capital], `${host} capital numbering`);
    }
    for (const c of profile.consulates) assert.ok(CITY_LANDLINES[c.city], c.city);
    assert.ok(
      profile.names.female.length >= 20 &&
        profile.names.male.length >= 20 &&
        profile.names.family.length >= 20,
    );
  }
  assert.equal(originProfile('ph')?.country, 'PH');
  assert.equal(originProfile('ZZ'), undefined);
});
