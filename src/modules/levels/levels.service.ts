import type { Kysely, Transaction } from 'kysely';
import type { Database, Dialect } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { Viewer } from '../../domain/access/policy.ts';
import { GeoError } from '../../domain/geo/geo-error.ts';
import { type PreparedTarget, prepareTarget } from '../../domain/geo/prepared-target.ts';
import {
  type CurrentLevels,
  isLift,
  type LevelDeclaration,
  levelAt,
  NO_LEVEL,
  resolveCurrentLevels,
} from '../../domain/levels/current-levels.ts';
import { LevelsError } from '../../domain/levels/levels-error.ts';
import { PHILIPPINE_CRISIS_ALERT_SCHEME, TRAVEL_ADVISORY_SCHEME } from '../../domain/levels/presets.ts';
import {
  findLevel,
  type Level,
  type LevelFlags,
  type LocalizedText,
  type Scheme,
  validateScheme,
} from '../../domain/levels/scheme.ts';
import { findCountry, toAlpha2 } from '../../domain/reference/countries.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit } from '../audit/audit.service.ts';
import {
  findActiveScheme,
  findArea,
  findAreaByName,
  findAreaNames,
  findAreasByIds,
  insertActiveScheme,
  insertArea,
  insertDeclaration,
  latestSchemeVersion,
  listAllDeclarations,
  listAreas,
  listDeclarationHistory,
  lockLevels,
} from './levels.repository.ts';
import type {
  AreaCreate,
  AreaGeometry,
  AreaLevelView,
  AreaView,
  CountryLevelView,
  CurrentLevelsView,
  DeclarationCreate,
  DeclarationView,
  HistoryQuery,
  PointLevelView,
  PointQuery,
  PublicLevelsView,
  SchemePresetName,
  SchemeVersionView,
} from './levels.schema.ts';
import type { LevelDeclarationRow, LevelSchemeRow, NamedAreaRow } from './levels.table.ts';
import { createDeclarationTasks } from './tasks.service.ts';

/** Who acts, and from where: what every audited use case of this module needs. */
export type LevelsContext = { viewer: Viewer; ip: string | null };

/** The scheme a deployment starts with until an administrator chooses or edits one. */
export const DEFAULT_SCHEME: Scheme = PHILIPPINE_CRISIS_ALERT_SCHEME;

const PRESETS: Record<SchemePresetName, Scheme> = {
  'ph-crisis': PHILIPPINE_CRISIS_ALERT_SCHEME,
  'travel-advisory': TRAVEL_ADVISORY_SCHEME,
};

type ActiveScheme = { version: number; scheme: Scheme; row: LevelSchemeRow };

const toActive = (row: LevelSchemeRow): ActiveScheme => ({
  version: row.version,
  scheme: JSON.parse(row.scheme) as Scheme,
  row,
});

function countryCode(code: string, field: string): string {
  const alpha2 = toAlpha2(code);
  if (!alpha2)
    throw new AppError('request.country_unknown', `${field} is not an ISO 3166-1 country code`, 422);
  return alpha2;
}

const countryName = (code: string) => findCountry(code)?.name ?? code;

function audit(
  trx: Transaction<DB>,
  dialect: Dialect,
  ctx: LevelsContext,
  action: string,
  details: Record<string, string | number | boolean | null>,
  now: Date,
) {
  return appendAudit(
    trx,
    dialect,
    {
      actorUserId: ctx.viewer.userId,
      actorRole: ctx.viewer.role,
      action,
      outcome: 'done',
      personIds: [],
      ip: ctx.ip,
      details,
    },
    now,
  );
}

// ---------------------------------------------------------------------------------------------- schemes

/** The active scheme inside a write transaction that holds the levels lock; stores the default on first use. */
async function activeSchemeIn(trx: Transaction<DB>, now: Date): Promise<ActiveScheme> {
  const row = await findActiveScheme(trx);
  if (row) return toActive(row);
  const first = {
    version: (await latestSchemeVersion(trx)) + 1,
    scheme_id: DEFAULT_SCHEME.id,
    scheme: JSON.stringify(DEFAULT_SCHEME),
    active: 1,
    source: 'default',
    created_at: now.toISOString(),
    created_by: null,
  };
  await insertActiveScheme(trx, first);
  return toActive(first);
}

/** The deployment's scheme in use; the Philippine preset is stored and used until another is chosen. */
export async function getActiveScheme(database: Database, now = new Date()): Promise<ActiveScheme> {
  const row = await findActiveScheme(database.db);
  if (row) return toActive(row);
  return database.db.transaction().execute(async (trx) => {
    await lockLevels(trx, database.dialect);
    return activeSchemeIn(trx, now);
  });
}

export const toSchemeVersionView = (a: ActiveScheme): SchemeVersionView => ({
  version: a.version,
  source: a.row.source,
  createdAt: a.row.created_at,
  createdBy: a.row.created_by,
  scheme: a.scheme as SchemeVersionView['scheme'],
});

/**
 * Level numbers in force somewhere now or at any scheduled change to come. Levels only change at
 * declarations' effective times, so resolving at now and at each later one sees every level that will
 * be in force (a scheduled level already cancelled by a later declaration is not counted).
 */
function levelsInUse(rows: readonly LevelDeclarationRow[], now: Date): Set<number> {
  const declarations = rows.map(toDomainDeclaration);
  const asOf = now.getTime();
  const instants = new Set([
    asOf,
    ...declarations.map((d) => d.effectiveAt.getTime()).filter((t) => t > asOf),
  ]);
  const inUse = new Set<number>();
  for (const instant of instants) {
    const resolved = resolveCurrentLevels(declarations, new Date(instant));
    for (const c of resolved.countries.values()) inUse.add(c.level);
    for (const a of resolved.areas.values()) inUse.add(a.level);
  }
  return inUse;
}

/**
 * Replaces the deployment's scheme with `scheme` (an administrator's edit or a preset), keeping the
 * previous version. Refuses a scheme with any issue (422 `levels.scheme_invalid`, every issue listed)
 * and one that drops a level number in force or scheduled somewhere (409 `levels.scheme_level_in_use`).
 */
export async function replaceScheme(
  database: Database,
  ctx: LevelsContext,
  scheme: Scheme,
  source: 'edit' | 'preset',
  now = new Date(),
): Promise<SchemeVersionView> {
  const issues = validateScheme(scheme);
  if (issues.length > 0) {
    throw new AppError('levels.scheme_invalid', `The scheme has ${issues.length} issue(s); see issues`, 422, {
      issues: issues.map((i) => ({ code: i.code, path: i.path, message: i.message })),
    });
  }
  return database.db.transaction().execute(async (trx) => {
    await lockLevels(trx, database.dialect);
    const previous = await activeSchemeIn(trx, now);
    const kept = new Set(scheme.levels.map((l) => l.number));
    const dropped = [...levelsInUse(await listAllDeclarations(trx), now)]
      .filter((n) => !kept.has(n))
      .sort((a, b) => a - b);
    if (dropped.length > 0) {
      throw new AppError(
        'levels.scheme_level_in_use',
        `Level(s) ${dropped.join(', ')} are in force or scheduled somewhere; lower or lift them before removing them from the scheme`,
        409,
        { levels: dropped },
      );
    }
    const row = {
      version: previous.version + 1,
      scheme_id: scheme.id,
      scheme: JSON.stringify(scheme),
      active: 1,
      source,
      created_at: now.toISOString(),
      created_by: ctx.viewer.userId,
    };
    await insertActiveScheme(trx, row);
    await audit(
      trx,
      database.dialect,
      ctx,
      'schemes.manage',
      {
        event: 'scheme.replaced',
        source,
        schemeId: scheme.id,
        version: row.version,
        previousVersion: previous.version,
      },
      now,
    );
    return toSchemeVersionView(toActive(row));
  });
}

/** Switches the deployment to one of the preset schemes (as a new version, like an edit). */
export function applyPreset(
  database: Database,
  ctx: LevelsContext,
  preset: SchemePresetName,
  now = new Date(),
) {
  return replaceScheme(database, ctx, PRESETS[preset], 'preset', now);
}

// ------------------------------------------------------------------------------------------------ areas

/**
 * Checks a GeoJSON (Multi)Polygon with the targeting geometry and answers a fault as 422 with the
 * geometry's own code (`geo.ring_not_closed`, `geo.self_intersection`, `geo.coordinate_out_of_range`...).
 */
export function checkAreaGeometry(geometry: AreaGeometry, field: string): PreparedTarget {
  try {
    return prepareTarget([geometry]);
  } catch (e) {
    if (!(e instanceof GeoError)) throw e;
    const at = e.field ? e.field.replace(/^target\[0\]/, field) : field;
    throw new AppError(e.code, e.message, 422, { errors: [{ code: e.code, field: at, message: e.message }] });
  }
}

/** Geometry as stored: only the GeoJSON members Haven uses. */
const storedGeometry = (g: AreaGeometry): string =>
  JSON.stringify({ type: g.type, coordinates: g.coordinates });

export const toAreaView = (r: NamedAreaRow): AreaView => ({
  id: r.id,
  name: r.name,
  country: r.country,
  geometry: JSON.parse(r.geometry) as AreaGeometry,
  createdAt: r.created_at,
});

async function saveArea(
  trx: Transaction<DB>,
  ctx: LevelsContext,
  input: { name: string; country: string; geometry: AreaGeometry },
  now: Date,
): Promise<NamedAreaRow> {
  const name = input.name.trim();
  if (name === '') throw new AppError('levels.area_name_missing', 'The area needs a name', 422);
  if (await findAreaByName(trx, input.country, name)) {
    throw new AppError('levels.area_name_taken', 'The country already has an area with this name', 409);
  }
  const row: NamedAreaRow = {
    id: newId(now.getTime()),
    name,
    country: input.country,
    geometry: storedGeometry(input.geometry),
    created_at: now.toISOString(),
    created_by: ctx.viewer.userId,
  };
  await insertArea(trx, row);
  return row;
}

/** Saves a named area of a host country, for declarations (and alerts) to refer to. */
export async function createArea(
  database: Database,
  ctx: LevelsContext,
  input: AreaCreate,
  now = new Date(),
): Promise<AreaView> {
  const country = countryCode(input.country, 'country');
  checkAreaGeometry(input.geometry, 'body.geometry');
  return database.db.transaction().execute(async (trx) => {
    await lockLevels(trx, database.dialect);
    const row = await saveArea(trx, ctx, { ...input, country }, now);
    await audit(
      trx,
      database.dialect,
      ctx,
      'levels.declare',
      { event: 'area.created', areaId: row.id, country },
      now,
    );
    return toAreaView(row);
  });
}

export async function listAreaViews(db: Kysely<DB>, country?: string): Promise<AreaView[]> {
  return (await listAreas(db, country ? countryCode(country, 'country') : undefined)).map(toAreaView);
}

export async function getAreaView(db: Kysely<DB>, id: string): Promise<AreaView> {
  const row = await findArea(db, id);
  if (!row) throw new AppError('levels.area_not_found', 'Area not found', 404);
  return toAreaView(row);
}

// ----------------------------------------------------------------------------------------- declarations

/** The declaration's scope with the area id standing in for the geometry: geometry is loaded only when needed. */
function toDomainDeclaration(r: LevelDeclarationRow): LevelDeclaration<string> {
  return {
    id: r.id,
    scope: r.area_id
      ? { kind: 'area', areaId: r.area_id, country: r.country, geometry: r.area_id }
      : { kind: 'country', country: r.country },
    level: r.level,
    effectiveAt: new Date(r.effective_at),
    declaredAt: new Date(r.declared_at),
    reason: r.reason,
    declaredBy: r.declared_by,
  };
}

type LevelFacts = {
  name: LocalizedText;
  colour: string;
  description: LocalizedText;
  flags: LevelFlags;
  advisory: LocalizedText;
};

const NO_FLAGS: LevelFlags = {
  registrationDrive: false,
  restrictedMovement: false,
  voluntaryRepatriation: false,
  mandatoryRepatriation: false,
  recommendedDeploymentBan: false,
};

/**
 * What a level means in the active scheme. A scheme change cannot drop a level in force, so the fallback
 * only covers rows written before that rule existed: reads must not fail on them.
 */
function levelFacts(scheme: Scheme, number: number): LevelFacts {
  const level = scheme.levels.find((l) => l.number === number);
  if (!level)
    return {
      name: { en: `Level ${number}` },
      colour: '#808080',
      description: {},
      flags: NO_FLAGS,
      advisory: {},
    };
  return {
    name: level.name,
    colour: level.colour,
    description: level.description,
    flags: level.actions.flags,
    advisory: level.actions.advisory,
  };
}

function toDeclarationView(
  r: LevelDeclarationRow,
  scheme: Scheme,
  areaNames: ReadonlyMap<string, string>,
): DeclarationView {
  const lifted = r.level === NO_LEVEL;
  const facts = lifted ? undefined : levelFacts(scheme, r.level);
  return {
    id: r.id,
    scope: r.area_id ? 'area' : 'country',
    country: r.country,
    areaId: r.area_id,
    areaName: r.area_id ? (areaNames.get(r.area_id) ?? null) : null,
    level: r.level,
    levelName: facts?.name ?? null,
    colour: facts?.colour ?? null,
    reason: r.reason,
    effectiveAt: r.effective_at,
    declaredAt: r.declared_at,
    declaredBy: r.declared_by,
    schemeVersion: r.scheme_version,
  };
}

function effectiveTime(input: string | undefined, now: Date): Date {
  if (input === undefined) return now;
  const t = new Date(input);
  if (!Number.isFinite(t.getTime()))
    throw new AppError('levels.effective_at_invalid', 'effectiveAt is not a valid date-time', 422);
  return t;
}

/**
 * Declares level `input.level` (0 lifts) for a country, a saved area or a new area, effective now or
 * later. Records who and why, keeps the history, creates the level's checklist tasks for every post
 * covering the country, and audits it, all in one transaction.
 */
export async function declareLevel(
  database: Database,
  ctx: LevelsContext,
  input: DeclarationCreate,
  now = new Date(),
): Promise<{ declaration: DeclarationView; tasksCreated: number }> {
  const reason = input.reason.trim();
  if (reason === '') throw new AppError('levels.reason_missing', 'A declaration needs a reason', 422);
  if (input.areaId && input.area)
    throw new AppError('levels.scope_ambiguous', 'Give either areaId or area, not both', 422);
  const country = input.country === undefined ? undefined : countryCode(input.country, 'country');
  if (input.area) checkAreaGeometry(input.area.geometry, 'body.area.geometry');
  if (!input.areaId && !country) {
    throw new AppError(
      'levels.scope_missing',
      'Say which country (and optionally which area) the level is for',
      422,
    );
  }
  const effectiveAt = effectiveTime(input.effectiveAt, now);

  return database.db.transaction().execute(async (trx) => {
    await lockLevels(trx, database.dialect);
    const active = await activeSchemeIn(trx, now);
    let level: Level | undefined;
    if (input.level !== NO_LEVEL) {
      try {
        level = findLevel(active.scheme, input.level);
      } catch (e) {
        if (e instanceof LevelsError) throw new AppError(e.code, e.message, 422);
        throw e;
      }
    }

    let area: NamedAreaRow | undefined;
    if (input.areaId) {
      area = await findArea(trx, input.areaId);
      if (!area) throw new AppError('levels.area_unknown', 'No saved area has this id', 422);
      if (country && area.country !== country) {
        throw new AppError('levels.area_country_mismatch', 'The area belongs to another country', 422);
      }
    } else if (input.area && country) {
      area = await saveArea(trx, ctx, { name: input.area.name, country, geometry: input.area.geometry }, now);
    }
    const scopeCountry = area?.country ?? country!;

    const row: LevelDeclarationRow = {
      id: newId(now.getTime()),
      scope: area ? 'area' : 'country',
      country: scopeCountry,
      area_id: area?.id ?? null,
      level: input.level,
      reason,
      effective_at: effectiveAt.toISOString(),
      declared_at: now.toISOString(),
      declared_by: ctx.viewer.userId,
      scheme_version: active.version,
    };
    await insertDeclaration(trx, row);
    const tasksCreated = level ? await createDeclarationTasks(trx, row, level, now) : 0;
    await audit(
      trx,
      database.dialect,
      ctx,
      'levels.declare',
      {
        event: isLift(row) ? 'level.lifted' : 'level.declared',
        declarationId: row.id,
        country: row.country,
        areaId: row.area_id,
        level: row.level,
        effectiveAt: row.effective_at,
        tasksCreated,
      },
      now,
    );
    const names = new Map(area ? [[area.id, area.name]] : []);
    return { declaration: toDeclarationView(row, active.scheme, names), tasksCreated };
  });
}

/** Declarations newest first, raising, lowering and lifting alike. */
export async function declarationHistory(
  database: Database,
  query: HistoryQuery,
): Promise<DeclarationView[]> {
  const active = await getActiveScheme(database);
  const rows = await listDeclarationHistory(database.db, {
    country: query.country ? countryCode(query.country, 'country') : undefined,
    areaId: query.areaId,
    limit: query.limit ?? 200,
  });
  const names = await findAreaNames(database.db, [
    ...new Set(rows.flatMap((r) => (r.area_id ? [r.area_id] : []))),
  ]);
  return rows.map((r) => toDeclarationView(r, active.scheme, names));
}

// -------------------------------------------------------------------------------------- current levels

type InForce = {
  active: ActiveScheme;
  rows: LevelDeclarationRow[];
  current: CurrentLevels<string>;
  /** The areas that have a level in force, by id. */
  areas: Map<string, NamedAreaRow>;
};

async function loadInForce(database: Database, now: Date): Promise<InForce> {
  const active = await getActiveScheme(database, now);
  const rows = await listAllDeclarations(database.db);
  const current = resolveCurrentLevels(rows.map(toDomainDeclaration), now);
  const areas = new Map((await findAreasByIds(database.db, [...current.areas.keys()])).map((a) => [a.id, a]));
  return { active, rows, current, areas };
}

const byCountryThenName =
  <T extends { country: string }>(name: (t: T) => string) =>
  (a: T, b: T) =>
    a.country.localeCompare(b.country) || name(a).localeCompare(name(b));

/** Every country's and area's level in force at `now`, with what it means, and what is scheduled. */
export async function currentLevels(database: Database, now = new Date()): Promise<CurrentLevelsView> {
  const { active, rows, current, areas } = await loadInForce(database, now);
  const inForce = (d: LevelDeclaration<string>, level: number) => {
    const { name, colour, description, flags, advisory } = levelFacts(active.scheme, level);
    return {
      level,
      name,
      colour,
      description,
      flags,
      advisory,
      declarationId: d.id,
      reason: d.reason,
      declaredAt: d.declaredAt.toISOString(),
      declaredBy: d.declaredBy,
      effectiveAt: d.effectiveAt.toISOString(),
    };
  };
  const countries: CountryLevelView[] = [...current.countries].map(([country, c]) => ({
    country,
    countryName: countryName(country),
    ...inForce(c.declaration, c.level),
  }));
  countries.sort((a, b) => a.country.localeCompare(b.country));
  const areaViews: AreaLevelView[] = [];
  for (const [areaId, a] of current.areas) {
    const area = areas.get(areaId);
    if (!area) continue;
    areaViews.push({
      areaId,
      areaName: area.name,
      country: area.country,
      geometry: JSON.parse(area.geometry) as AreaGeometry,
      ...inForce(a.declaration, a.level),
    });
  }
  areaViews.sort(byCountryThenName((a) => a.areaName));

  const asOf = now.getTime();
  const pending = rows.filter((r) => Date.parse(r.effective_at) > asOf && Date.parse(r.declared_at) <= asOf);
  pending.sort((a, b) => a.effective_at.localeCompare(b.effective_at));
  const names = await findAreaNames(database.db, [
    ...new Set(pending.flatMap((r) => (r.area_id ? [r.area_id] : []))),
  ]);
  return {
    asOf: now.toISOString(),
    scheme: { id: active.scheme.id, name: active.scheme.name, version: active.version },
    countries,
    areas: areaViews,
    upcoming: pending.map((r) => toDeclarationView(r, active.scheme, names)),
  };
}

/**
 * The level in force at a point: the higher of its country's level and those of the areas containing
 * it (an area's level wins where it is higher). Without a country, only areas count.
 */
export async function levelAtPoint(
  database: Database,
  query: PointQuery,
  now = new Date(),
): Promise<PointLevelView> {
  const country = query.country ? countryCode(query.country, 'country') : undefined;
  const { active, current, areas } = await loadInForce(database, now);
  const prepared = new Map<string, PreparedTarget>();
  for (const [id, area] of areas)
    prepared.set(id, prepareTarget([JSON.parse(area.geometry) as AreaGeometry]));
  const found = levelAt(
    current,
    { country, point: { lon: query.lon, lat: query.lat } },
    (areaId, p) => prepared.get(areaId)?.contains(p.lon, p.lat) ?? false,
  );
  if (!found.source)
    return { level: NO_LEVEL, name: null, colour: null, flags: null, advisory: null, source: null };
  const { declaration } = found.source;
  const { scope } = declaration;
  const facts = levelFacts(active.scheme, found.level);
  return {
    level: found.level,
    name: facts.name,
    colour: facts.colour,
    flags: facts.flags,
    advisory: facts.advisory,
    source: {
      scope: scope.kind,
      country: scope.country,
      areaId: scope.kind === 'area' ? scope.areaId : null,
      areaName: scope.kind === 'area' ? (areas.get(scope.areaId)?.name ?? null) : null,
      declarationId: declaration.id,
      effectiveAt: declaration.effectiveAt.toISOString(),
    },
  };
}

/**
 * The current levels as published to everyone: what each level means and since when, never the reason,
 * who declared it, what is scheduled, or the posts' checklists.
 */
export async function publicLevels(database: Database, now = new Date()): Promise<PublicLevelsView> {
  const { active, current, areas } = await loadInForce(database, now);
  const published = (level: number, effectiveAt: Date) => {
    const { name, colour, description, flags, advisory } = levelFacts(active.scheme, level);
    return { level, name, colour, description, advisory, flags, effectiveAt: effectiveAt.toISOString() };
  };
  const countries = [...current.countries]
    .map(([country, c]) => ({
      country,
      countryName: countryName(country),
      ...published(c.level, c.declaration.effectiveAt),
    }))
    .sort((a, b) => a.country.localeCompare(b.country));
  const areaViews: PublicLevelsView['areas'] = [];
  for (const [areaId, a] of current.areas) {
    const area = areas.get(areaId);
    if (!area) continue;
    areaViews.push({
      areaName: area.name,
      country: area.country,
      countryName: countryName(area.country),
      geometry: JSON.parse(area.geometry) as AreaGeometry,
      ...published(a.level, a.declaration.effectiveAt),
    });
  }
  areaViews.sort(byCountryThenName((a) => a.areaName));
  return {
    asOf: now.toISOString(),
    scheme: { id: active.scheme.id, name: active.scheme.name },
    countries,
    areas: areaViews,
  };
}
