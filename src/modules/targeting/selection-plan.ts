import type { CellRange } from '../../domain/geo/cell-range.ts';
import { coverTarget } from '../../domain/geo/covering.ts';
import { GeoError } from '../../domain/geo/geo-error.ts';
import { type PreparedTarget, prepareTarget } from '../../domain/geo/prepared-target.ts';
import type { Target } from '../../domain/geo/target.ts';
import { toAlpha2 } from '../../domain/reference/countries.ts';
import { canonicalLanguageTag } from '../../domain/reference/languages.ts';
import { SEXES, VULNERABILITIES } from '../../domain/registry/person.ts';
import { AppError } from '../../errors.ts';

/** The age bands aggregates use (see `ageBand`); any "low-high" or "low+" band in years is accepted. */
export const AGE_BANDS = ['0-17', '18-29', '30-44', '45-59', '60+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/**
 * Who else must hold for a person to be selected: each present filter must match (AND); within a
 * filter any listed value matches (OR). An empty list is the same as no filter.
 */
export type TargetFilters = {
  /** BCP 47 tags; a tag also matches its regional forms ('ar' matches 'ar-LB'), whatever the rank. */
  readonly languages?: readonly string[];
  readonly sexes?: readonly string[];
  /** Ages in whole years at the reference time, counted from the birth year as `ageBand` does. */
  readonly ageBands?: readonly string[];
  /** Any of these vulnerabilities. */
  readonly vulnerabilities?: readonly string[];
  readonly householdHeadsOnly?: boolean;
  readonly employerIds?: readonly string[];
};

/**
 * What the targeting engine selects: the union of whole countries (persons whose `location_country` is
 * one of them) and shapes (persons whose point lies in any of them), then narrowed by the filters.
 */
export type TargetSpec = {
  /** ISO 3166-1 codes (alpha-2, or alpha-3 normalised to alpha-2). */
  readonly countries?: readonly string[];
  readonly shapes?: Target;
  readonly filters?: TargetFilters;
};

/** An inclusive range of birth years; null bounds are open. */
export type BirthYearRange = { readonly from: number | null; readonly to: number | null };

/** Filters in the form the queries use. */
export type SqlFilters = {
  readonly sexes: readonly string[];
  /** Persons whose birth year falls in any range (a person with no birth year never matches). */
  readonly birthYears: readonly BirthYearRange[];
  readonly householdHeadsOnly: boolean;
  readonly employerIds: readonly string[];
  /** Canonical tags; each matches itself and `<tag>-…`. */
  readonly languages: readonly string[];
};

/** A checked spec, ready to run: the geometry covered, the filters translated. */
export type SelectionPlan = {
  /** Alpha-2 codes, sorted, without duplicates. */
  readonly countries: readonly string[];
  /** The shapes' union, for the exact test of boundary persons; null when the spec has no shapes. */
  readonly shapes: PreparedTarget | null;
  /** Cell ranges taken whole (sorted, disjoint). */
  readonly inside: readonly CellRange[];
  /** Cell ranges whose persons get the exact test (sorted, disjoint, apart from `inside`). */
  readonly boundary: readonly CellRange[];
  readonly filters: SqlFilters;
  /** Filtered after decryption; null when the spec has no vulnerability filter. */
  readonly vulnerabilities: ReadonlySet<string> | null;
};

export type PlanOptions = {
  /**
   * Most cell ranges the covering may use. `planSelection` defaults to the covering's own budget (3000);
   * the targeting service, left without one, chooses it from how many persons the boundary holds.
   */
  readonly maxRanges?: number;
};

const unique = <T>(items: Iterable<T>): T[] => [...new Set(items)];

function invalid(code: string, message: string, field: string): AppError {
  return new AppError(code, message, 422, { errors: [{ code, field, message }] });
}

const AGE_BAND_RE = /^(\d{1,3})(?:-(\d{1,3})|\+)$/;

/**
 * Birth years of an age band at the reference year. Ages are counted as `ageBand` does (reference year
 * minus birth year), so a band starting at 0 also takes birth years after the reference year.
 */
export function birthYearsOfAgeBand(band: string, referenceYear: number): BirthYearRange | undefined {
  const match = AGE_BAND_RE.exec(band.trim());
  if (!match) return undefined;
  const low = Number(match[1]);
  const high = match[2] === undefined ? null : Number(match[2]);
  if (high !== null && high < low) return undefined;
  return {
    from: high === null ? null : referenceYear - high,
    to: low === 0 ? null : referenceYear - low,
  };
}

/** Sorts ranges and joins those that overlap or touch, so the SQL has as few alternatives as possible. */
function joinBirthYears(ranges: BirthYearRange[]): BirthYearRange[] {
  const low = (r: BirthYearRange) => r.from ?? Number.NEGATIVE_INFINITY;
  const high = (r: BirthYearRange) => r.to ?? Number.POSITIVE_INFINITY;
  const sorted = [...ranges].sort((a, b) => low(a) - low(b));
  const out: BirthYearRange[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && low(r) <= high(last) + 1) {
      if (high(r) > high(last)) out[out.length - 1] = { from: last.from, to: r.to };
    } else out.push(r);
  }
  return out;
}

function checkedList(
  values: readonly string[] | undefined,
  allowed: readonly string[],
  code: string,
  field: string,
): string[] {
  return unique(
    (values ?? []).map((value, i) => {
      const v = String(value).trim().toLowerCase();
      if (!allowed.includes(v)) throw invalid(code, `must be one of ${allowed.join(', ')}`, `${field}[${i}]`);
      return v;
    }),
  );
}

/** The shapes, prepared; geometry faults answer 422 with the geometry's own code and the bad part's path. */
function prepareShapes(shapes: Target): PreparedTarget {
  try {
    return prepareTarget(shapes);
  } catch (e) {
    if (!(e instanceof GeoError)) throw e;
    const field = e.field ? e.field.replace(/^target/, 'shapes') : 'shapes';
    throw invalid(e.code, e.message, field);
  }
}

function coverShapes(shapes: PreparedTarget, maxRanges: number | undefined) {
  const { inside, boundary } = coverTarget(shapes, maxRanges === undefined ? {} : { maxRanges });
  return { inside, boundary };
}

/** The same plan with the shapes covered again under another range budget. */
export function recoverPlan(plan: SelectionPlan, maxRanges: number): SelectionPlan {
  return plan.shapes ? { ...plan, ...coverShapes(plan.shapes, maxRanges) } : plan;
}

/**
 * Checks a spec and plans its selection: countries normalised, shapes prepared and covered by cell
 * ranges, filters translated (age bands to birth years at `now`). Refuses, as AppError 422: a spec with
 * neither countries nor shapes (`target.empty`), an unknown country (`target.country_unknown`), a bad
 * language tag, sex, age band or vulnerability (`target.*_invalid`), and any geometry fault (`geo.*`).
 */
export function planSelection(spec: TargetSpec, now: Date, options: PlanOptions = {}): SelectionPlan {
  const countries = unique(
    (spec.countries ?? []).map((code, i) => {
      const alpha2 = typeof code === 'string' ? toAlpha2(code) : undefined;
      if (!alpha2)
        throw invalid('target.country_unknown', 'not an ISO 3166-1 country code', `countries[${i}]`);
      return alpha2;
    }),
  ).sort();
  const shapeList = spec.shapes ?? [];
  if (countries.length === 0 && shapeList.length === 0) {
    throw invalid('target.empty', 'the target selects nobody: give at least one country or shape', 'target');
  }
  const shapes = shapeList.length > 0 ? prepareShapes(shapeList) : null;
  const { inside, boundary } = shapes ? coverShapes(shapes, options.maxRanges) : { inside: [], boundary: [] };

  const f = spec.filters ?? {};
  const field = 'filters';
  const languages = unique(
    (f.languages ?? []).map((tag, i) => {
      const canonical = typeof tag === 'string' ? canonicalLanguageTag(tag) : undefined;
      if (!canonical)
        throw invalid('target.language_invalid', 'not a BCP 47 language tag', `${field}.languages[${i}]`);
      return canonical;
    }),
  );
  const year = now.getUTCFullYear();
  const birthYears = joinBirthYears(
    (f.ageBands ?? []).map((band, i) => {
      const range = typeof band === 'string' ? birthYearsOfAgeBand(band, year) : undefined;
      if (!range) {
        throw invalid(
          'target.age_band_invalid',
          'an age band is "low-high" or "low+" in years, low first',
          `${field}.ageBands[${i}]`,
        );
      }
      return range;
    }),
  );
  const vulnerabilities = checkedList(
    f.vulnerabilities,
    VULNERABILITIES,
    'target.vulnerability_invalid',
    `${field}.vulnerabilities`,
  );
  return {
    countries,
    shapes,
    inside,
    boundary,
    filters: {
      sexes: checkedList(f.sexes, SEXES, 'target.sex_invalid', `${field}.sexes`),
      birthYears,
      householdHeadsOnly: f.householdHeadsOnly === true,
      employerIds: unique(f.employerIds ?? []),
      languages,
    },
    vulnerabilities: vulnerabilities.length > 0 ? new Set(vulnerabilities) : null,
  };
}
