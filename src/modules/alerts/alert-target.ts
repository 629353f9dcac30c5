import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { GeoError } from '../../domain/geo/geo-error.ts';
import { validateTarget } from '../../domain/geo/prepared-target.ts';
import type { TargetShape } from '../../domain/geo/target.ts';
import { findCountry, toAlpha2 } from '../../domain/reference/countries.ts';
import { canonicalLanguageTag } from '../../domain/reference/languages.ts';
import { AppError } from '../../errors.ts';
import type { TargetSpec } from '../targeting/selection-plan.ts';
import { findNamedAreas, type NamedAreaRecord } from './alerts.repository.ts';
import type { AlertTargetBody, TargetCircle, TargetFilters, TargetPolygon } from './alerts.schema.ts';

/** An alert's target as stored: normalised (alpha-2 countries, canonical language tags, deduplicated). */
export type AlertTarget = {
  countries: string[];
  areaIds: string[];
  polygons: TargetPolygon[];
  circles: TargetCircle[];
  filters: TargetFilters;
};

/** A checked target: how it is stored, what the engine is asked, and the named areas it uses. */
export type ResolvedTarget = {
  target: AlertTarget;
  spec: TargetSpec;
  areas: NamedAreaRecord[];
  /** Countries named in the target or holding its named areas. */
  namedCountries: string[];
};

type Db = Kysely<DB> | Transaction<DB>;

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

function fieldError(code: string, message: string, field: string): AppError {
  return new AppError(code, message, 422, { errors: [{ code, field, message }] });
}

/** Re-throws a geometry fault as a 422 carrying the geometry's own code and the path of the bad part. */
function checkShape(shape: TargetShape, field: string): void {
  try {
    validateTarget([shape]);
  } catch (e) {
    if (!(e instanceof GeoError)) throw e;
    const at = e.field ? e.field.replace(/^target\[0\]/, field) : field;
    throw fieldError(e.code, e.message, at);
  }
}

const circleShape = (c: TargetCircle): TargetShape => ({
  type: 'Circle',
  center: c.center,
  radiusMeters: c.radiusMeters,
});

/** Filters in canonical form, with empty lists dropped so that "no filter" has one spelling. */
function normalizeFilters(filters: TargetFilters | undefined, field: string): TargetFilters {
  const out: TargetFilters = {};
  if (!filters) return out;
  if (filters.languages?.length) {
    out.languages = unique(
      filters.languages.map((tag, i) => {
        const canonical = canonicalLanguageTag(tag);
        if (!canonical)
          throw fieldError(
            'target.language_invalid',
            'Not a BCP 47 language tag',
            `${field}.languages[${i}]`,
          );
        return canonical;
      }),
    );
  }
  if (filters.sexes?.length) out.sexes = unique(filters.sexes);
  if (filters.ageBands?.length) {
    filters.ageBands.forEach((band, i) => {
      const [low, high] = band.split('-').map((n) => Number.parseInt(n, 10));
      if (high !== undefined && low !== undefined && high < low) {
        throw fieldError(
          'target.age_band_invalid',
          'An age band runs from the lower age to the higher',
          `${field}.ageBands[${i}]`,
        );
      }
    });
    out.ageBands = unique(filters.ageBands);
  }
  if (filters.vulnerabilities?.length) out.vulnerabilities = unique(filters.vulnerabilities);
  if (filters.householdHeadsOnly) out.householdHeadsOnly = true;
  if (filters.employerIds?.length) out.employerIds = unique(filters.employerIds);
  return out;
}

/**
 * Checks a target as an officer sent it and turns it into the engine's selection. Refuses, as 422 with
 * a code and the field: an empty target (`target.empty`), an unknown country (`target.country_unknown`),
 * an unknown named area (`target.area_unknown`), and any geometry fault with the geometry's own code
 * (`geo.self_intersection`, `geo.ring_not_closed`, `geo.coordinate_out_of_range`, `geo.radius_invalid`...).
 */
export async function resolveTarget(
  db: Db,
  body: AlertTargetBody,
  field = 'body.target',
): Promise<ResolvedTarget> {
  const countries = unique(
    (body.countries ?? []).map((code, i) => {
      const alpha2 = toAlpha2(code);
      if (!alpha2)
        throw fieldError(
          'target.country_unknown',
          'Not an ISO 3166-1 country code',
          `${field}.countries[${i}]`,
        );
      return alpha2;
    }),
  );
  const areaIds = unique(body.areaIds ?? []);
  const polygons = body.polygons ?? [];
  const circles = body.circles ?? [];
  if (countries.length + areaIds.length + polygons.length + circles.length === 0) {
    throw fieldError(
      'target.empty',
      'The target selects nobody: name at least one country, area, polygon or circle',
      field,
    );
  }
  for (const [i, p] of polygons.entries()) checkShape(p as TargetShape, `${field}.polygons[${i}]`);
  for (const [i, c] of circles.entries()) checkShape(circleShape(c), `${field}.circles[${i}]`);
  const areas = await findNamedAreas(db, areaIds);
  const found = new Set(areas.map((a) => a.id));
  areaIds.forEach((id, i) => {
    if (!found.has(id))
      throw fieldError('target.area_unknown', 'No named area has this id', `${field}.areaIds[${i}]`);
  });
  const filters = normalizeFilters(body.filters, `${field}.filters`);
  const shapes: TargetShape[] = [
    ...areas.map((a) => a.geometry as TargetShape),
    ...polygons.map((p) => p as TargetShape),
    ...circles.map(circleShape),
  ];
  const spec: TargetSpec = {
    ...(countries.length ? { countries } : {}),
    ...(shapes.length ? { shapes } : {}),
    ...(Object.keys(filters).length ? { filters } : {}),
  };
  return {
    target: { countries, areaIds, polygons, circles, filters },
    spec,
    areas,
    namedCountries: unique([...countries, ...areas.map((a) => a.country)]).sort(),
  };
}

/** A country's English name for area descriptions, or its code when unknown. */
export const countryName = (code: string): string => findCountry(code)?.name ?? code;
