import { countryBoundary, createPointLocator } from '../../domain/reference/boundaries.ts';
import { listCities } from '../../domain/reference/cities.ts';
import { findCountry } from '../../domain/reference/countries.ts';
import type {
  DocumentStatus,
  OrganizationType,
  PersonInput,
  Sex,
  Vulnerability,
} from '../../domain/registry/person.ts';
import { normalizePhone } from '../../domain/registry/person.ts';
import {
  CITY_LANDLINES,
  FAMILY_SIZES,
  GROUP_SIZES,
  type HostProfile,
  hostProfile,
  meanUnitSize,
  type PhonePlan,
  type Place,
} from './host-places.ts';
import type { DemoPartner, OriginProfile } from './origin-profiles.ts';
import { createRandom, type Random, weightedSampler } from './random.ts';

// The demo population is a pure function of (origin, seed, people, reference date): no I/O beyond the
// bundled reference data, no clock. Person i is the same whatever the total, so a larger run extends a smaller one.

/** The external reference of the demo person number `index` (from 1): stable across runs, so a re-run skips them. */
export const demoPersonRef = (origin: string, index: number) =>
  `DEMO-${origin}-${String(index).padStart(6, '0')}`;
/** The external reference of the demo household or group number `index` (from 1). */
export const demoHouseholdRef = (origin: string, index: number) =>
  `DEMO-${origin}-H${String(index).padStart(6, '0')}`;
/** Every demo reference starts with this; real registrations never should. */
export const DEMO_REF_PREFIX = 'DEMO-';

export type DemoEmployer = { key: string; name: string; country: string; sector: Sector };
export type DemoHousehold = { ref: string; label: string; kind: 'household' | 'group' };
/** A person as generated: registry input, with the employer named by key until the organisation has an id. */
export type DemoPerson = Omit<PersonInput, 'householdId' | 'employerId' | 'externalRef'> & {
  externalRef: string;
  employerKey: string | null;
};
/** People who live together (a family or a group in employer accommodation), or one person alone. */
export type DemoUnit = { country: string; household: DemoHousehold | null; members: DemoPerson[] };

export type DemoPost = {
  name: string;
  kind: 'embassy' | 'consulate' | 'mission';
  country: string;
  city: string;
  lat: number;
  lon: number;
  jurisdiction: string[];
  phone: string | null;
  email: string;
  address: string;
};

/** The organisations of a demo: the origin's ministry with its posts, partners, host authorities and employers. */
export type DemoDirectory = {
  ministry: { name: string; country: string };
  posts: DemoPost[];
  partners: DemoPartner[];
  employers: DemoEmployer[];
};

type Sector = 'construction' | 'agency' | 'services';

const SECTOR_SUFFIXES: Record<Sector, readonly string[]> = {
  construction: ['Contracting', 'Construction', 'Engineering Works', 'Industrial Services'],
  agency: ['Manpower Agency', 'Employment Agency', 'Recruitment Services', 'Home Care Services'],
  services: ['Hospitality Group', 'Medical Centre', 'Facilities Management', 'Cleaning Services'],
};
const EMPLOYERS_PER_SECTOR = 4;
const EMAIL_DOMAINS = ['example.org', 'example.com', 'example.net'] as const; // reserved by RFC 2606

function hostsOf(profile: OriginProfile): HostProfile[] {
  return Object.keys(profile.hostShares).map((code) => {
    const host = hostProfile(code);
    if (!host) throw new Error(`no demo host profile for ${code}`);
    return host;
  });
}

/** Employers per host country: four per sector, their names drawn from the host's list of synthetic names. */
export function demoEmployers(profile: OriginProfile, seed: number): DemoEmployer[] {
  const random = createRandom(seed, 2);
  const out: DemoEmployer[] = [];
  for (const host of hostsOf(profile)) {
    const prefixes = shuffle(random, host.employerNames);
    let next = 0;
    for (const sector of ['construction', 'agency', 'services'] as const) {
      const suffixes = shuffle(random, SECTOR_SUFFIXES[sector]);
      for (let i = 0; i < EMPLOYERS_PER_SECTOR; i++) {
        const prefix = prefixes[next++ % prefixes.length]!;
        out.push({
          key: `${host.country}:${sector}:${i}`,
          name: `${prefix} ${suffixes[i % suffixes.length]} (demo)`,
          country: host.country,
          sector,
        });
      }
    }
  }
  return out;
}

function shuffle<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A valid, unused phone number of a plan, checked with libphonenumber; undefined if none is found quickly. */
function phoneNumber(
  random: Random,
  plan: PhonePlan,
  country: string,
  used: Set<string>,
): string | undefined {
  for (let attempt = 0; attempt < 20; attempt++) {
    const range = random.pick(plan.ranges);
    const candidate = `+${plan.callingCode}${range.prefix}${random.digits(range.length - range.prefix.length)}`;
    if (used.has(candidate) || normalizePhone(candidate, country) !== candidate) continue;
    used.add(candidate);
    return candidate;
  }
  return undefined;
}

function findPlace(host: HostProfile, city: string): Place {
  const place = host.places.find((p) => p.name === city) ?? host.places.find((p) => p.city === city);
  if (!place) throw new Error(`no demo place ${city} in ${host.country}`);
  return place;
}

const slug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The demo's ministry, posts (an embassy in each host capital, plus consulates), partners and employers. */
export function demoDirectory(profile: OriginProfile, seed: number): DemoDirectory {
  const random = createRandom(seed, 3);
  const used = new Set<string>();
  const post = (host: HostProfile, city: string, kind: DemoPost['kind']): DemoPost => {
    const place = findPlace(host, city);
    const label =
      kind === 'embassy' ? 'Embassy' : kind === 'consulate' ? 'Consulate General' : 'Representative Office';
    const landline = CITY_LANDLINES[city];
    const phone = landline
      ? phoneNumber(
          random,
          {
            callingCode: landline.callingCode,
            ranges: [{ prefix: landline.prefix, length: landline.length }],
          },
          host.country,
          used,
        )
      : undefined;
    return {
      name: `${profile.adjective} ${label} in ${city} (demo)`,
      kind,
      country: host.country,
      city,
      lat: place.lat,
      lon: place.lon,
      // A consulate general in Hong Kong also covers Macao, as in most consular networks.
      jurisdiction: host.country === 'HK' ? ['HK', 'MO'] : [host.country],
      phone: phone ?? null,
      email: `${slug(city)}.${profile.country.toLowerCase()}-post@example.org`,
      address: `${place.districts[0] ?? city}, ${city}`,
    };
  };
  const hosts = hostsOf(profile);
  const posts = hosts.map((host) =>
    post(
      host,
      host.capital,
      host.country === 'HK' ? 'consulate' : host.country === 'TW' ? 'mission' : 'embassy',
    ),
  );
  for (const c of profile.consulates) {
    const host = hostProfile(c.country);
    if (host) posts.push(post(host, c.city, 'consulate'));
  }
  const hostAuthorities: DemoPartner[] = hosts.map((h) => ({
    name: `${findCountry(h.country)?.name ?? h.country} Civil Defence Authority (demo)`,
    type: 'host_state' as OrganizationType,
    country: h.country,
  }));
  return {
    ministry: { name: profile.ministry, country: profile.country },
    posts,
    partners: [...profile.partners, ...hostAuthorities],
    employers: demoEmployers(profile, seed),
  };
}

type Locator = (lon: number, lat: number) => boolean;

type HostModel = {
  host: HostProfile;
  place: (random: Random) => Place;
  onLand: Locator;
  /** An employer for a worker: women mostly through agencies (domestic work), men mostly in construction. */
  employer: Record<Sex, (random: Random) => DemoEmployer>;
  unitType: (random: Random) => 'single' | 'group' | 'family';
};

const TOWN_SPREAD_KM = 1.5;
const KM_PER_DEGREE = 111.32;

function hostModel(host: HostProfile, employers: DemoEmployer[]): HostModel {
  const boundary = countryBoundary(host.country, '10m');
  const onLand: Locator = boundary ? createPointLocator(boundary.geometry) : () => true;
  // A town whose GeoNames point Natural Earth's coast leaves in the sea could not be scattered around.
  const towns = host.townShare > 0 ? listCities(host.country).filter((t) => onLand(t.lon, t.lat)) : [];
  const placeWeight = host.places.reduce((s, p) => s + p.weight, 0);
  type Option = Place | 'town';
  const options: Option[] = [...host.places, ...(towns.length ? (['town'] as const) : [])];
  const sample = weightedSampler<Option>(options, (o) =>
    o === 'town' ? (placeWeight * host.townShare) / (1 - host.townShare) : o.weight,
  );
  // A few large employers and many small ones: Zipf weights within each sector.
  const local = employers.filter((e) => e.country === host.country);
  const rank = (e: DemoEmployer) => local.filter((x) => x.sector === e.sector).indexOf(e);
  const { construction, agency, services } = host.sectors;
  const bySex = (sectorWeight: Record<Sector, number>) =>
    weightedSampler(local, (e) => sectorWeight[e.sector] / (1 + rank(e)));
  const unitTypes = ['single', 'group', 'family'] as const;
  return {
    host,
    place: (random) => {
      const option = sample(random);
      if (option !== 'town') return option;
      const town = random.pick(towns);
      return {
        name: town.name,
        city: town.name,
        lat: town.lat,
        lon: town.lon,
        weight: 0,
        spreadKm: TOWN_SPREAD_KM,
        districts: [],
      };
    },
    onLand,
    employer: {
      female: bySex({ construction: construction * 0.1, agency: agency * 2, services }),
      male: bySex({ construction: construction * 2, agency: agency * 0.2, services }),
      other: bySex({ construction, agency, services }),
      unknown: bySex({ construction, agency, services }),
    },
    unitType: weightedSampler(unitTypes, (t) => host.units[t]),
  };
}

/**
 * A point scattered around a place, normally distributed with the place's spread. Points that fall in
 * the sea or across a border (tested against the country's 1:10m boundary) are drawn again; after a few
 * misses the place's centre is used.
 */
function scatter(random: Random, place: Place, onLand: Locator): { lat: number; lon: number } {
  for (let attempt = 0; attempt < 12; attempt++) {
    const lat = place.lat + (random.gaussian() * place.spreadKm) / KM_PER_DEGREE;
    const lon =
      place.lon + (random.gaussian() * place.spreadKm) / (KM_PER_DEGREE * Math.cos((lat * Math.PI) / 180));
    const point = {
      lat: round(Math.max(-90, Math.min(90, lat)), 5),
      lon: round(((((lon + 180) % 360) + 360) % 360) - 180, 5),
    };
    if (onLand(point.lon, point.lat)) return point;
  }
  return { lat: place.lat, lon: place.lon };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));

export type DemoPopulationOptions = {
  profile: OriginProfile;
  seed: number;
  people: number;
  /** The reference date for ages and the check that birth dates are in the past. */
  now: Date;
};

/**
 * Generates the demo population unit by unit (a person alone, a group sharing employer accommodation,
 * or a family), until `people` persons are made. Host countries are drawn so that the share of
 * *people* in each matches the profile; within a host, sex ratios, living arrangements, employers,
 * vulnerabilities and document status follow the host's profile.
 */
export function* generateDemoPopulation(options: DemoPopulationOptions): Generator<DemoUnit> {
  const { profile, seed, people, now } = options;
  const random = createRandom(seed, 1);
  const employers = demoEmployers(profile, seed);
  const models = hostsOf(profile).map((host) => hostModel(host, employers));
  const pickHost = weightedSampler(
    models,
    (m) => (profile.hostShares[m.host.country] ?? 0) / meanUnitSize(m.host),
  );
  const pickFamilySize = weightedSampler(FAMILY_SIZES, (f) => f.weight);
  const pickFirstLanguage = weightedSampler(profile.languages.first, (l) => l.weight);
  const usedPhones = new Set<string>();
  const usedEmails = new Set<string>();
  const names = profile.names;
  const refYear = now.getUTCFullYear();
  let personIndex = 0;
  let householdIndex = 0;

  const birth = (age: number): { birthDate: string | null; birthYear: number } => {
    let year = refYear - age;
    const month = random.int(1, 12);
    const day = random.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
    if (Date.UTC(year, month - 1, day) > now.getTime()) year -= 1;
    // Some registrations only know the year of birth.
    if (random.chance(0.1)) return { birthDate: null, birthYear: year };
    const safeDay = Math.min(day, new Date(Date.UTC(year, month, 0)).getUTCDate());
    return {
      birthDate: `${year}-${String(month).padStart(2, '0')}-${String(safeDay).padStart(2, '0')}`,
      birthYear: year,
    };
  };

  const displayName = (latin: string, inScript: boolean) =>
    inScript ? (names.script?.[latin] ?? latin) : latin;

  const languagesFor = (host: HostProfile, child: boolean, first: string): string[] => {
    const tags = [first];
    if (first !== profile.languages.national.tag && random.chance(profile.languages.national.share))
      tags.push(profile.languages.national.tag);
    if (random.chance(child ? 0.5 : profile.languages.english)) tags.push('en');
    if (
      host.hostLanguage &&
      random.chance(child ? Math.min(0.95, host.hostLanguage.share * 1.5) : host.hostLanguage.share)
    ) {
      tags.push(host.hostLanguage.tag);
    }
    return tags;
  };

  const emailFor = (given: string, family: string): string => {
    const base = `${slug(given.split(' ')[0] ?? given)}.${slug(family).replace(/-/g, '')}`;
    const domain = random.pick(EMAIL_DOMAINS);
    let local = random.chance(0.6) ? `${base}${random.digits(random.int(2, 4))}` : base;
    while (usedEmails.has(`${local}@${domain}`)) local = `${base}${random.digits(4)}`;
    usedEmails.add(`${local}@${domain}`);
    return `${local}@${domain}`;
  };

  type Draft = {
    sex: Sex;
    age: number;
    givenLatin: string;
    familyLatin: string;
    inScript: boolean;
    firstLanguage: string;
    worker: boolean;
    inFamily: boolean;
    unaccompanied?: boolean;
    employerKey: string | null;
  };

  const makePerson = (
    model: HostModel,
    d: Draft,
    location: DemoPerson['location'],
    role: 'head' | 'member' | null,
  ): DemoPerson => {
    const { host } = model;
    const adult = d.age >= 18;
    const v: Vulnerability[] = [];
    if (!adult) v.push('child');
    if (d.unaccompanied) v.push('unaccompanied_child');
    if (d.age >= 60) v.push('elderly');
    if (d.sex === 'female' && d.age >= 18 && d.age <= 42 && random.chance(d.inFamily ? 0.04 : 0.008))
      v.push('pregnant');
    if (random.chance(0.008)) v.push('disability');
    if (random.chance(0.012)) v.push('medical');
    if (random.chance(d.age >= 40 ? 0.06 : 0.015)) v.push('chronic_illness');
    if (
      (adult || d.unaccompanied) &&
      random.chance(0.003 * host.abuseRiskFactor * (d.unaccompanied ? 30 : 1))
    )
      v.push('trafficking_survivor');
    if (adult && random.chance(0.005 * host.abuseRiskFactor * (d.sex === 'female' ? 1.5 : 0.5)))
      v.push('violence_survivor');
    if (adult && random.chance(0.002)) v.push('detained');
    const held = d.worker && random.chance(host.passportHeldRate);
    if (held) v.push('passport_held_by_employer');

    let documentStatus: DocumentStatus;
    const doc = random.next();
    if (held) documentStatus = 'held_by_employer';
    else if (!adult) documentStatus = doc < 0.8 ? 'with_person' : doc < 0.95 ? 'none' : 'unknown';
    else documentStatus = doc < 0.9 ? 'with_person' : doc < 0.92 ? 'lost' : doc < 0.925 ? 'none' : 'unknown';

    const phones: NonNullable<PersonInput['phones']> = [];
    const wantsPhone = adult ? random.chance(0.95) : d.age >= 13 && random.chance(0.5);
    const hostPhone = wantsPhone ? phoneNumber(random, host.mobile, host.country, usedPhones) : undefined;
    if (hostPhone)
      phones.push({ value: hostPhone, verified: random.chance(0.55), consent: random.chance(0.96) });
    if (adult && random.chance(profile.originPhoneShare)) {
      const home = phoneNumber(random, profile.mobile, profile.country, usedPhones);
      if (home) phones.push({ value: home, verified: random.chance(0.3), consent: random.chance(0.9) });
    }
    const emails =
      adult && random.chance(0.4)
        ? [
            {
              value: emailFor(d.givenLatin, d.familyLatin),
              verified: random.chance(0.4),
              consent: random.chance(0.95),
            },
          ]
        : [];

    personIndex++;
    return {
      externalRef: demoPersonRef(profile.country, personIndex),
      givenNames: displayName(d.givenLatin, d.inScript),
      familyName: displayName(d.familyLatin, d.inScript),
      sex: d.sex,
      ...birth(d.age),
      nationality: profile.country,
      languages: languagesFor(host, !adult, d.firstLanguage),
      phones,
      emails,
      location,
      householdRole: role,
      employerKey: d.employerKey,
      vulnerabilities: v,
      documentStatus,
    };
  };

  const workerAge = () =>
    random.chance(0.02) ? random.int(60, 68) : Math.round(clamp(35 + random.gaussian() * 9, 18, 59));
  const sexOf = (femaleShare: number): Sex => (random.chance(femaleShare) ? 'female' : 'male');
  const givenFor = (sex: Sex, child: boolean) =>
    random.pick(
      child
        ? sex === 'female'
          ? names.childFemale
          : names.childMale
        : sex === 'female'
          ? names.female
          : names.male,
    );
  const employerFor = (model: HostModel, sex: Sex, share: number): string | null =>
    random.chance(share) ? model.employer[sex](random).key : null;

  const worker = (
    model: HostModel,
    sex: Sex,
    age: number,
    inScript: boolean,
    employerShare: number,
  ): Draft => ({
    sex,
    age,
    givenLatin: givenFor(sex, false),
    familyLatin: random.pick(names.family),
    inScript,
    firstLanguage: pickFirstLanguage(random).tag,
    worker: true,
    inFamily: false,
    employerKey: employerFor(model, sex, employerShare),
  });

  /** One person living alone: a live-in domestic worker or carer, or a worker in a rented room. */
  const draftSingle = (model: HostModel, inScript: boolean): Draft[] => {
    const sex = sexOf(model.host.femaleShare.single);
    // A very few are minors who travelled alone, often on forged papers.
    if (random.chance(0.001))
      return [{ ...worker(model, sex, random.int(15, 17), inScript, 0.7), unaccompanied: true }];
    return [worker(model, sex, workerAge(), inScript, 0.7)];
  };

  /** Co-workers of one sex sharing the employer's accommodation. */
  const draftGroup = (model: HostModel, inScript: boolean): Draft[] => {
    const sex = sexOf(model.host.femaleShare.group);
    const employerKey = employerFor(model, sex, 0.95);
    return Array.from({ length: random.pick(GROUP_SIZES) }, () => ({
      ...worker(model, sex, Math.round(clamp(33 + random.gaussian() * 8, 20, 58)), inScript, 0),
      employerKey,
    }));
  };

  /** A head, usually a spouse, children whose ages fit the parents', in Italy sometimes a grandparent. */
  const draftFamily = (model: HostModel, inScript: boolean, familyLatin: string): Draft[] => {
    const size = pickFamilySize(random).size;
    const firstLanguage = pickFirstLanguage(random).tag;
    const member = (
      sex: Sex,
      age: number,
      isWorker: boolean,
      employerShare: number,
      family = familyLatin,
    ): Draft => ({
      sex,
      age,
      givenLatin: givenFor(sex, age < 18),
      familyLatin: family,
      inScript,
      firstLanguage,
      worker: isWorker,
      inFamily: true,
      employerKey: isWorker ? employerFor(model, sex, employerShare) : null,
    });
    const headSex = sexOf(0.5);
    const headAge = Math.round(clamp(40 + random.gaussian() * 8, 22, 62));
    const drafts = [member(headSex, headAge, true, 0.6)];
    let youngestParent = headAge;
    if (size >= 2 && random.chance(0.85)) {
      const age = Math.round(clamp(headAge + random.gaussian() * 4, 20, 65));
      youngestParent = Math.min(youngestParent, age);
      // Ethiopian spouses keep their own (father's) name; Filipino spouses share the family name.
      const family = names.patronymic ? random.pick(names.family) : familyLatin;
      drafts.push(member(headSex === 'female' ? 'male' : 'female', age, random.chance(0.7), 0.5, family));
    }
    if (drafts.length < size && model.host.country === 'IT' && size >= 3 && random.chance(0.15)) {
      drafts.push(member(sexOf(0.6), random.int(60, 80), false, 0, random.pick(names.family)));
    }
    const father = drafts.find((d) => d.sex === 'male' && d.age < 60);
    // Ethiopian children carry their father's given name; elsewhere the family name.
    const childFamily =
      names.patronymic && father ? (father.givenLatin.split(' ')[0] ?? familyLatin) : familyLatin;
    while (drafts.length < size) {
      drafts.push(
        member(sexOf(0.5), random.int(0, clamp(youngestParent - 18, 0, 17)), false, 0, childFamily),
      );
    }
    return drafts;
  };

  while (personIndex < people) {
    const model = pickHost(random);
    const { host } = model;
    const type = model.unitType(random);
    const place = model.place(random);
    const point = scatter(random, place, model.onLand);
    const district = place.districts.length ? random.pick(place.districts) : null;
    const where = [district, place.city].filter((s): s is string => !!s).join(', ');
    const inScript = names.script !== undefined && random.chance(names.scriptShare ?? 0);
    let drafts: Draft[];
    let household: DemoHousehold | null = null;
    if (type === 'single') {
      drafts = draftSingle(model, inScript);
    } else if (type === 'group') {
      drafts = draftGroup(model, inScript);
      householdIndex++;
      household = {
        ref: demoHouseholdRef(profile.country, householdIndex),
        label: `Shared accommodation, ${where}`,
        kind: 'group',
      };
    } else {
      const familyLatin = random.pick(names.family);
      drafts = draftFamily(model, inScript, familyLatin);
      householdIndex++;
      household = {
        ref: demoHouseholdRef(profile.country, householdIndex),
        label: `${displayName(familyLatin, inScript)} household, ${place.city}`,
        kind: 'household',
      };
    }

    const address = type === 'group' ? `Workers' accommodation, ${where}` : where;
    const location = { lat: point.lat, lon: point.lon, country: host.country, address };
    const room = people - personIndex;
    const members = drafts
      .slice(0, room)
      .map((d, i) => makePerson(model, d, location, household ? (i === 0 ? 'head' : 'member') : null));
    yield { country: host.country, household, members };
  }
}
