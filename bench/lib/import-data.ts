import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/**
 * Deterministic synthetic persons for the import benchmark: the same seed and count always give the
 * same file. Names are built from syllables, phones from mobile ranges of each host country; nobody real.
 */
export type SyntheticPerson = {
  externalRef: string;
  givenNames: string;
  familyName: string;
  sex: 'female' | 'male';
  birthYear: number;
  nationality: string;
  languages: string[];
  /** E.164, as stored; the CSV writes some of them in national or spaced formats. */
  phones: string[];
  email: string | null;
  lat: number;
  lon: number;
  country: string;
  address: string;
  householdRef: string | null;
  householdRole: 'head' | 'member' | null;
  employer: string | null;
  vulnerabilities: string[];
  documentStatus: string;
};

/** mulberry32: small, fast, and the same on every platform. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Host = {
  code: string;
  dial: string;
  prefixes: string[];
  digits: number;
  cities: [string, number, number][];
  weight: number;
};

// Mobile ranges that libphonenumber's full metadata accepts, and a few cities of each host country.
const HOSTS: Host[] = [
  {
    code: 'SA',
    dial: '966',
    prefixes: ['50', '53', '54', '55', '56', '58', '59'],
    digits: 7,
    weight: 24,
    cities: [
      ['Riyadh', 24.71, 46.68],
      ['Jeddah', 21.49, 39.19],
      ['Dammam', 26.43, 50.1],
    ],
  },
  {
    code: 'AE',
    dial: '971',
    prefixes: ['50', '52', '54', '55', '56', '58'],
    digits: 7,
    weight: 22,
    cities: [
      ['Dubai', 25.2, 55.27],
      ['Abu Dhabi', 24.45, 54.38],
      ['Sharjah', 25.35, 55.42],
    ],
  },
  {
    code: 'KW',
    dial: '965',
    prefixes: ['50', '55', '66', '90', '94', '96', '97', '99'],
    digits: 6,
    weight: 10,
    cities: [['Kuwait City', 29.38, 47.99]],
  },
  {
    code: 'QA',
    dial: '974',
    prefixes: ['33', '55', '66', '77'],
    digits: 6,
    weight: 10,
    cities: [['Doha', 25.29, 51.53]],
  },
  {
    code: 'LB',
    dial: '961',
    prefixes: ['3', '70', '71', '81'],
    digits: 6,
    weight: 8,
    cities: [
      ['Beirut', 33.89, 35.5],
      ['Tripoli', 34.44, 35.83],
    ],
  },
  {
    code: 'IL',
    dial: '972',
    prefixes: ['50', '52', '54'],
    digits: 7,
    weight: 6,
    cities: [
      ['Tel Aviv', 32.08, 34.78],
      ['Haifa', 32.79, 34.99],
    ],
  },
  {
    code: 'HK',
    dial: '852',
    prefixes: ['51', '52', '53', '54', '56', '59', '61', '62', '63', '64', '65', '66', '67', '69'],
    digits: 6,
    weight: 12,
    cities: [['Hong Kong', 22.32, 114.17]],
  },
  {
    code: 'IT',
    dial: '39',
    prefixes: ['320', '328', '333', '338', '340', '345', '347', '348', '349', '366', '380', '389', '392'],
    digits: 7,
    weight: 8,
    cities: [
      ['Rome', 41.9, 12.5],
      ['Milan', 45.46, 9.19],
    ],
  },
];
const HOST_WEIGHT = HOSTS.reduce((s, h) => s + h.weight, 0);

const SYLLABLES = [
  'ma',
  'ri',
  'a',
  'jo',
  'se',
  'lu',
  'na',
  'to',
  'ka',
  'li',
  'ro',
  'sa',
  'de',
  'la',
  'cru',
  'zon',
  'bel',
  'mer',
  'an',
  'gel',
  'vi',
  'ta',
  'rey',
  'es',
];
// A share of names in other scripts and with diacritics, as real registries hold.
const OTHER_NAMES = [
  'فاطمة',
  'محمد علي',
  'አበበ',
  'ትዕግስት',
  'Ñiño',
  'Maricél',
  'Józef',
  'Nguyễn Thị',
  'Đặng',
  'José María',
];
const LANGUAGES = [
  ['fil', 'en'],
  ['tl'],
  ['ceb', 'fil'],
  ['en'],
  ['am', 'ar'],
  ['ar'],
  ['fil', 'ar', 'en'],
  ['ilo', 'fil'],
];
const VULNERABILITIES = [
  'pregnant',
  'elderly',
  'disability',
  'medical',
  'chronic_illness',
  'passport_held_by_employer',
];
const DOCUMENT_STATUSES = [
  'with_person',
  'with_person',
  'with_person',
  'held_by_employer',
  'lost',
  'unknown',
];
const STREETS = [
  'Al Olaya St',
  'King Fahd Rd',
  'Nathan Rd',
  'Via Roma',
  'Hamra St',
  'Salwa Rd',
  'Al Wasl Rd',
];

/** Generates person `index` (0-based) of a population; independent of the others, so any slice can be rebuilt. */
export function syntheticPerson(seed: number, index: number): SyntheticPerson {
  const rnd = randomSource(seed * 1_000_003 + index * 7919 + 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const word = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += pick(SYLLABLES);
    return s.charAt(0).toUpperCase() + s.slice(1);
  };
  let w = rnd() * HOST_WEIGHT;
  let host = HOSTS[0]!;
  for (const h of HOSTS) {
    w -= h.weight;
    if (w <= 0) {
      host = h;
      break;
    }
  }
  const [city, lat, lon] = pick(host.cities);
  const phone = () =>
    `+${host.dial}${pick(host.prefixes)}${String(Math.floor(rnd() * 10 ** host.digits)).padStart(host.digits, '0')}`;
  const phones = [phone()];
  if (rnd() < 0.15) phones.push(phone());
  const household = rnd() < 0.3 ? `HH-${seed}-${Math.floor(index / 3)}` : null;
  const vulnerabilities = rnd() < 0.12 ? [pick(VULNERABILITIES)] : [];
  const givenNames = rnd() < 0.05 ? pick(OTHER_NAMES) : `${word(2)} ${word(2)}`;
  return {
    externalRef: `BENCH-${seed}-${index}`,
    givenNames,
    familyName: word(3),
    sex: rnd() < 0.6 ? 'female' : 'male',
    birthYear: 1960 + Math.floor(rnd() * 45),
    nationality: 'PH',
    languages: pick(LANGUAGES),
    phones,
    email: rnd() < 0.2 ? `person${index}@example.org` : null,
    lat: Math.round((lat + (rnd() - 0.5) * 0.2) * 1e5) / 1e5,
    lon: Math.round((lon + (rnd() - 0.5) * 0.2) * 1e5) / 1e5,
    country: host.code,
    address: `${1 + Math.floor(rnd() * 300)} ${pick(STREETS)}, ${city}`,
    householdRef: household,
    householdRole: household ? (index % 3 === 0 ? 'head' : 'member') : null,
    employer: rnd() < 0.7 ? `Employer ${host.code} ${Math.floor(rnd() * 400)}` : null,
    vulnerabilities,
    documentStatus: pick(DOCUMENT_STATUSES),
  };
}

export const CSV_HEADER =
  'external_ref,given_names,family_name,sex,birth_year,nationality,languages,phone,email,lat,lon,country,address,household_ref,household_role,employer,vulnerabilities,document_status';

const cell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/** One CSV line (without the line break) for a person, in the column order of CSV_HEADER. */
export function csvLine(p: SyntheticPerson): string {
  return [
    p.externalRef,
    cell(p.givenNames),
    cell(p.familyName),
    p.sex === 'female' ? 'F' : 'M',
    String(p.birthYear),
    p.nationality,
    p.languages.join(';'),
    p.phones.join(';'),
    p.email ?? '',
    String(p.lat),
    String(p.lon),
    p.country,
    cell(p.address),
    p.householdRef ?? '',
    p.householdRole ?? '',
    p.employer ?? '',
    p.vulnerabilities.join(';'),
    p.documentStatus,
  ].join(',');
}

/** Writes `rows` synthetic persons to a CSV file, streaming; returns the file's size in bytes. */
export async function writeSyntheticCsv(file: string, rows: number, seed: number): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  let chunk = `${CSV_HEADER}\n`;
  for (let i = 0; i < rows; i++) {
    chunk += `${csvLine(syntheticPerson(seed, i))}\n`;
    if (chunk.length > 1 << 16 || i === rows - 1) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  if (chunk) {
    bytes += Buffer.byteLength(chunk);
    out.write(chunk);
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
