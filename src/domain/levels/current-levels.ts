import { LevelsError } from './levels-error.ts';

/** The level number meaning "no alert level": declaring it lifts the level of its scope. */
export const NO_LEVEL = 0;

export type CountryScope = {
  readonly kind: 'country';
  /** ISO 3166-1 alpha-2 code; compared without regard to case. */
  readonly country: string;
};

/** An area within a country. The geometry type is the caller's: this module never looks inside it. */
export type AreaScope<G> = {
  readonly kind: 'area';
  readonly areaId: string;
  readonly country: string;
  readonly geometry: G;
};

export type DeclarationScope<G> = CountryScope | AreaScope<G>;

/** One entry of the declaration history: raising, lowering and lifting are all kept. */
export type LevelDeclaration<G = unknown> = {
  readonly id: string;
  readonly scope: DeclarationScope<G>;
  /** A level of the scheme, or NO_LEVEL to lift. */
  readonly level: number;
  /** Lifts the scope's level whatever `level` says. */
  readonly lift?: boolean;
  /** When the level takes effect; may be later than `declaredAt`. */
  readonly effectiveAt: Date;
  readonly declaredAt: Date;
  readonly reason: string;
  /** Who declared it (a user id, never a name). */
  readonly declaredBy: string;
};

export type CurrentLevel<G = unknown> = {
  /** Always above NO_LEVEL: lifted scopes are left out. */
  readonly level: number;
  /** The declaration that set it. */
  readonly declaration: LevelDeclaration<G>;
};

export type CurrentAreaLevel<G = unknown> = CurrentLevel<G> & { readonly scope: AreaScope<G> };

export type CurrentLevels<G = unknown> = {
  /** Keyed by upper-case country code. */
  readonly countries: ReadonlyMap<string, CurrentLevel<G>>;
  /** Keyed by area id. */
  readonly areas: ReadonlyMap<string, CurrentAreaLevel<G>>;
};

export type LevelLocation<P> = {
  readonly country?: string;
  readonly point?: P;
};

export type LocationLevel<G = unknown> = {
  /** NO_LEVEL when neither the country nor any area around the point has a level. */
  readonly level: number;
  /** The country's or area's current level that decides it; absent at NO_LEVEL. */
  readonly source?: CurrentLevel<G>;
};

/**
 * Works out the level in force at `now` for every country and area from the declaration history (in any
 * order). For each scope the declaration with the latest effective time wins, so a later lower level
 * lowers it, and a lift (level 0 or `lift`) removes it. Declarations effective after `now`, or declared
 * after it (when replaying the past), do not count yet. Ties on effective time go to the later
 * declaration. Throws LevelsError 'levels.bad_declaration' on a declaration that cannot be read.
 */
export function resolveCurrentLevels<G>(
  declarations: Iterable<LevelDeclaration<G>>,
  now: Date,
): CurrentLevels<G> {
  const asOf = now.getTime();
  if (!Number.isFinite(asOf))
    throw new LevelsError('levels.bad_declaration', 'the time to resolve levels at is invalid');
  const latestByCountry = new Map<string, LevelDeclaration<G>>();
  const latestByArea = new Map<string, LevelDeclaration<G>>();
  for (const declaration of declarations) {
    checkDeclaration(declaration);
    if (declaration.effectiveAt.getTime() > asOf || declaration.declaredAt.getTime() > asOf) continue;
    const { scope } = declaration;
    const [latest, key] =
      scope.kind === 'country'
        ? [latestByCountry, scope.country.toUpperCase()]
        : [latestByArea, scope.areaId];
    const held = latest.get(key);
    if (!held || supersedes(declaration, held)) latest.set(key, declaration);
  }

  const countries = new Map<string, CurrentLevel<G>>();
  for (const [country, declaration] of latestByCountry) {
    if (!isLift(declaration)) countries.set(country, { level: declaration.level, declaration });
  }
  const areas = new Map<string, CurrentAreaLevel<G>>();
  for (const [areaId, declaration] of latestByArea) {
    if (declaration.scope.kind === 'area' && !isLift(declaration)) {
      areas.set(areaId, { level: declaration.level, declaration, scope: declaration.scope });
    }
  }
  return { countries, areas };
}

/**
 * The level in force at a location: the higher of its country's level and that of every area containing
 * the point (an area's level wins where it is higher; it never lowers the country's). `contains` decides
 * whether an area's geometry holds the point, so this module needs no geometry of its own. On equal
 * levels the country is given as the source.
 */
export function levelAt<G, P>(
  current: CurrentLevels<G>,
  location: LevelLocation<P>,
  contains: (geometry: G, point: P) => boolean,
): LocationLevel<G> {
  let best: CurrentLevel<G> | undefined =
    location.country === undefined ? undefined : current.countries.get(location.country.toUpperCase());
  const { point } = location;
  if (point !== undefined) {
    for (const area of current.areas.values()) {
      if (area.level > (best?.level ?? NO_LEVEL) && contains(area.scope.geometry, point)) best = area;
    }
  }
  return best ? { level: best.level, source: best } : { level: NO_LEVEL };
}

/** True when the declaration lifts its scope's level rather than setting one. */
export function isLift(declaration: Pick<LevelDeclaration, 'level' | 'lift'>): boolean {
  return declaration.lift === true || declaration.level === NO_LEVEL;
}

function supersedes(candidate: LevelDeclaration<unknown>, held: LevelDeclaration<unknown>): boolean {
  const byEffective = candidate.effectiveAt.getTime() - held.effectiveAt.getTime();
  if (byEffective !== 0) return byEffective > 0;
  const byDeclared = candidate.declaredAt.getTime() - held.declaredAt.getTime();
  if (byDeclared !== 0) return byDeclared > 0;
  // Same instants: any fixed rule will do, as long as the input order does not matter.
  return candidate.id > held.id;
}

function checkDeclaration(declaration: LevelDeclaration<unknown>): void {
  const problem = (why: string) =>
    new LevelsError('levels.bad_declaration', `declaration ${declaration.id}: ${why}`);
  if (!Number.isInteger(declaration.level) || declaration.level < NO_LEVEL) {
    throw problem(`level ${declaration.level} is not a whole number from ${NO_LEVEL}`);
  }
  if (!Number.isFinite(declaration.effectiveAt.getTime())) throw problem('effective time is invalid');
  if (!Number.isFinite(declaration.declaredAt.getTime())) throw problem('declaration time is invalid');
  if (declaration.scope.country.trim() === '') throw problem('no country');
  if (declaration.scope.kind === 'area' && declaration.scope.areaId.trim() === '')
    throw problem('no area id');
}
