import { createRequire } from 'node:module';
import type { Countries } from 'world-countries';

// Bundled data, read once from the package (no network): a require keeps the JSON's type light.
const countries = createRequire(import.meta.url)('world-countries/countries.json') as Countries;

/** A country or territory from ISO 3166-1, as bundled with the `world-countries` package. */
export type Country = { alpha2: string; alpha3: string; numeric: string; name: string; region: string };

const ALL: Country[] = countries
  .filter((c) => /^[A-Z]{2}$/.test(c.cca2))
  .map((c) => ({ alpha2: c.cca2, alpha3: c.cca3, numeric: c.ccn3, name: c.name.common, region: c.region }))
  .sort((a, b) => a.alpha2.localeCompare(b.alpha2));

const BY_ALPHA2 = new Map(ALL.map((c) => [c.alpha2, c]));
const BY_ALPHA3 = new Map(ALL.map((c) => [c.alpha3, c]));

/** Every country, sorted by alpha-2 code. */
export const listCountries = (): readonly Country[] => ALL;

/** Looks a country up by ISO 3166-1 alpha-2 or alpha-3 code, case-insensitively. */
export function findCountry(code: string): Country | undefined {
  const up = code.trim().toUpperCase();
  return up.length === 2 ? BY_ALPHA2.get(up) : up.length === 3 ? BY_ALPHA3.get(up) : undefined;
}

/** Normalises a country code to alpha-2, or returns undefined when it names no country. */
export const toAlpha2 = (code: string): string | undefined => findCountry(code)?.alpha2;
