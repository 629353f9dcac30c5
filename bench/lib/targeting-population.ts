import { cellOf } from '../../src/domain/geo/cell-range.ts';
import { gaussian, offsetKm, seededRandom } from '../../src/domain/geo/shape-fixtures.ts';
import { countryBoundary, createPointLocator } from '../../src/domain/reference/boundaries.ts';
import { listCities } from '../../src/domain/reference/cities.ts';

/**
 * A synthetic registry of one origin country's people abroad, held column-wise in typed arrays: person
 * n has the id {@link personId}(n), so id order is index order. Places follow how migrants live: a
 * few host countries hold most of them, and within a country most live in a few large cities (heavy-tailed
 * weights, gaussian spread), the rest in towns and the countryside. Deterministic for a seed.
 */
export type Population = {
  readonly size: number;
  readonly lons: Float64Array;
  readonly lats: Float64Array;
  /** Index into `countries`. */
  readonly country: Uint8Array;
  readonly countries: readonly string[];
  /** The resolution-9 cell as two 32-bit halves (the string is `cellText(n)`). */
  readonly cellHigh: Uint32Array;
  readonly cellLow: Uint32Array;
  /** 0 female, 1 male. */
  readonly sex: Uint8Array;
  readonly birthYear: Uint16Array;
  /** Index into {@link LANGUAGES}. */
  readonly language: Uint8Array;
};

export const SEX_CODES = ['female', 'male'] as const;
export const LANGUAGES = ['fil', 'en', 'ceb', 'ar', 'ilo'] as const;
const LANGUAGE_CUMULATIVE = Float64Array.from([0.55, 0.8, 0.9, 0.96, 1]);

/** Host countries and their share of the registry (normalised below). */
const HOSTS: Record<string, number> = {
  SA: 0.2,
  AE: 0.12,
  US: 0.1,
  KW: 0.05,
  QA: 0.05,
  HK: 0.04,
  SG: 0.04,
  MY: 0.04,
  JP: 0.04,
  CA: 0.04,
  IT: 0.03,
  GB: 0.03,
  AU: 0.03,
  TW: 0.03,
  KR: 0.02,
  OM: 0.02,
  LB: 0.015,
  BH: 0.015,
  IL: 0.01,
  DE: 0.01,
  ES: 0.01,
  NZ: 0.01,
  FJ: 0.005,
};

/**
 * The largest cities of the countries the benchmark targets, first in their country's list: the
 * cities list carries no population, and the targets are drawn around these.
 */
export const ANCHOR_CITIES: Record<string, Array<[number, number]>> = {
  SA: [
    [46.72, 24.69], // Riyadh
    [39.19, 21.49], // Jeddah
    [50.1, 26.42], // Dammam
    [39.83, 21.42], // Mecca
    [39.61, 24.47], // Medina
  ],
  AE: [
    [55.3, 25.26], // Dubai
    [54.38, 24.45], // Abu Dhabi
    [55.4, 25.34], // Sharjah
  ],
};

/** Share of each country's people living away from the city centres. */
const RURAL_SHARE = 0.12;
const RURAL_RADIUS_KM = 80;

/** The id of person n: time-ordered UUID layout, in index order. */
export const personId = (n: number): string => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

/** The index of a person id made by {@link personId}. */
export const personIndex = (id: string): number => Number.parseInt(id.slice(24), 16);

/** The stored cell string of person n. */
export const cellText = (p: Population, n: number): string =>
  p.cellHigh[n]!.toString(16) + p.cellLow[n]!.toString(16).padStart(8, '0');

type CountryPlaces = {
  code: string;
  cities: Array<[number, number]>;
  /** Cumulative city weights, ending at 1. */
  cumulative: Float64Array;
  spreadKm: Float64Array;
  onLand: (lon: number, lat: number) => boolean;
};

function placesOf(code: string, random: () => number, share: number): CountryPlaces {
  const listed = listCities(code).map((c): [number, number] => [c.lon, c.lat]);
  for (let i = listed.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [listed[i], listed[j]] = [listed[j]!, listed[i]!];
  }
  const count = Math.min(listed.length, 20 + Math.round(600 * share));
  const cities = [...(ANCHOR_CITIES[code] ?? []), ...listed.slice(0, count)];
  // Zipf-like weights by rank: the first city holds about a fifth of the country's urban people.
  const weights = cities.map((_, i) => 1 / (i + 1) ** 1.1);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = new Float64Array(cities.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w / total;
    cumulative[i] = sum;
  });
  cumulative[cities.length - 1] = 1;
  const spreadKm = Float64Array.from(weights, (w) => 2 + 10 * Math.sqrt(w / weights[0]!));
  const boundary = countryBoundary(code, '50m');
  const onLand = boundary ? createPointLocator(boundary.geometry) : () => true;
  return { code, cities, cumulative, spreadKm, onLand };
}

function pick(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const wrapLon = (lon: number) => ((((lon + 180) % 360) + 360) % 360) - 180;
const clampLat = (lat: number) => Math.max(-89.9, Math.min(89.9, lat));

/** Generates `size` persons; `onProgress` is told the count done every million. */
export function generatePopulation(
  size: number,
  seed: number,
  onProgress?: (done: number) => void,
): Population {
  const random = seededRandom(seed);
  const codes = Object.keys(HOSTS);
  const totalShare = codes.reduce((a, c) => a + HOSTS[c]!, 0);
  const places = codes.map((c) => placesOf(c, random, HOSTS[c]! / totalShare));
  const countryCumulative = new Float64Array(codes.length);
  let sum = 0;
  codes.forEach((c, i) => {
    sum += HOSTS[c]! / totalShare;
    countryCumulative[i] = sum;
  });
  countryCumulative[codes.length - 1] = 1;

  const lons = new Float64Array(size);
  const lats = new Float64Array(size);
  const country = new Uint8Array(size);
  const cellHigh = new Uint32Array(size);
  const cellLow = new Uint32Array(size);
  const sex = new Uint8Array(size);
  const birthYear = new Uint16Array(size);
  const language = new Uint8Array(size);
  for (let n = 0; n < size; n++) {
    const c = pick(countryCumulative, random());
    const p = places[c]!;
    let lon: number;
    let lat: number;
    if (random() < RURAL_SHARE) {
      // Countryside: uniform in a disc around any town, kept on the country's land where possible.
      let tries = 0;
      do {
        const [cLon, cLat] = p.cities[Math.floor(random() * p.cities.length)]!;
        const r = RURAL_RADIUS_KM * Math.sqrt(random());
        const a = 2 * Math.PI * random();
        [lon, lat] = offsetKm(cLon, cLat, r * Math.cos(a), r * Math.sin(a));
      } while (!p.onLand(wrapLon(lon), lat) && ++tries < 8);
    } else {
      const i = pick(p.cumulative, random());
      const [cLon, cLat] = p.cities[i]!;
      const s = p.spreadKm[i]!;
      [lon, lat] = offsetKm(cLon, cLat, gaussian(random) * s, gaussian(random) * s);
    }
    lon = wrapLon(lon);
    lat = clampLat(lat);
    lons[n] = lon;
    lats[n] = lat;
    country[n] = c;
    const cell = cellOf(lat, lon);
    cellHigh[n] = Number.parseInt(cell.slice(0, cell.length - 8), 16);
    cellLow[n] = Number.parseInt(cell.slice(-8), 16);
    sex[n] = random() < 0.55 ? 0 : 1;
    birthYear[n] = 1950 + Math.floor(random() * 58);
    language[n] = pick(LANGUAGE_CUMULATIVE, random());
    if (onProgress && (n + 1) % 1_000_000 === 0) onProgress(n + 1);
  }
  return { size, lons, lats, country, countries: codes, cellHigh, cellLow, sex, birthYear, language };
}
