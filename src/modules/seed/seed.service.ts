import type { Database } from '../../db/database.ts';
import { validatePerson } from '../../domain/registry/person.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import { createOrganization, createPost } from '../registry/directory.service.ts';
import { insertPersonRows, type PersonRows } from '../registry/persons.repository.ts';
import { toPersonRows } from '../registry/persons.service.ts';
import type { HouseholdTable } from '../registry/registry.table.ts';
import { DEMO_REF_PREFIX, type DemoUnit, demoDirectory, generateDemoPopulation } from './demo-population.ts';
import { DEMO_ORIGINS, originProfile } from './origin-profiles.ts';
import {
  countNonDemoPersons,
  deleteDemoPeople,
  findDemoPersons,
  findHouseholdIds,
  findOrganizationId,
  findPostId,
  insertHouseholds,
} from './seed.repository.ts';

/** Most people one demo run makes: enough for scale tests, bounded so a typo cannot fill a disk. */
export const MAX_DEMO_PEOPLE = 2_000_000;
const DEFAULT_BATCH = 2000;

export type SeedDemoProgress = { generated: number; total: number; created: number; skipped: number };

export type SeedDemoOptions = {
  /** How many persons the demo population holds. */
  people: number;
  /** Seed of the pseudo-random generator: the same seed gives the same people. */
  seed: number;
  /** The origin country whose nationals are seeded (alpha-2); PH by default. */
  origin?: string;
  /** Remove every earlier demo person and household first (needed to change seed or origin). */
  replace?: boolean;
  /** Seed even though the registry holds persons that are not demo data. */
  force?: boolean;
  /** Persons per transaction. */
  batchSize?: number;
  /** The reference date for ages and timestamps. */
  now?: Date;
  onProgress?: (progress: SeedDemoProgress) => void;
};

export type SeedDemoSummary = {
  origin: string;
  seed: number;
  /** Persons in the demo population (created now or found from an earlier run). */
  people: number;
  created: number;
  /** Persons already present from an earlier run with the same seed, left as they were. */
  skipped: number;
  /** Demo persons removed first (with `replace`). */
  removed: number;
  /** Households and groups created now. */
  households: number;
  organizations: { created: number; existing: number };
  posts: { created: number; existing: number };
  /** Persons of the demo population by host country. */
  byCountry: Record<string, number>;
};

function checkOptions(o: SeedDemoOptions): void {
  if (!Number.isInteger(o.people) || o.people < 1 || o.people > MAX_DEMO_PEOPLE) {
    throw new AppError('seed.people_invalid', `people must be an integer from 1 to ${MAX_DEMO_PEOPLE}`, 400);
  }
  if (!Number.isSafeInteger(o.seed) || o.seed < 0)
    throw new AppError('seed.seed_invalid', 'seed must be a non-negative integer', 400);
  if (o.batchSize !== undefined && (!Number.isInteger(o.batchSize) || o.batchSize < 1)) {
    throw new AppError('seed.batch_invalid', 'batchSize must be a positive integer', 400);
  }
}

const sameName = (a: string | null | undefined, b: string | null | undefined) =>
  (a ?? '').normalize('NFC') === (b ?? '').normalize('NFC');

/**
 * Loads a deterministic synthetic population of one origin country's nationals across host
 * countries, with the origin's ministry, its posts, partner organisations, host authorities and
 * employers. Persons carry external references `DEMO-<origin>-<n>`: a second run with the same seed
 * skips those already present, and a larger `people` adds the missing ones. A run over demo people
 * made from another seed or origin is refused (`seed.demo_mismatch`) unless `replace` removes them
 * first; a registry holding real (non-demo) persons is refused (`seed.registry_not_empty`) unless `force`.
 * Organisations and posts are matched by name and reused.
 */
export async function seedDemo(database: Database, options: SeedDemoOptions): Promise<SeedDemoSummary> {
  checkOptions(options);
  const origin = (options.origin ?? 'PH').trim().toUpperCase();
  const profile = originProfile(origin);
  if (!profile)
    throw new AppError(
      'seed.origin_unsupported',
      `The demo can seed nationals of ${DEMO_ORIGINS.join(', ')}`,
      400,
    );
  const { db } = database;
  const now = options.now ?? new Date();
  const ts = now.toISOString();
  const batchSize = options.batchSize ?? DEFAULT_BATCH;

  const others = await countNonDemoPersons(db, DEMO_REF_PREFIX);
  if (others > 0 && !options.force) {
    throw new AppError(
      'seed.registry_not_empty',
      `The registry holds ${others} persons that are not demo data; seeding would mix synthetic people with them (use --force to do so anyway)`,
      409,
    );
  }
  const removed = options.replace
    ? (await db.transaction().execute((trx) => deleteDemoPeople(trx, DEMO_REF_PREFIX))).persons
    : 0;

  // Organisations and posts: found by name, created when missing.
  const directory = demoDirectory(profile, options.seed);
  const organizations = { created: 0, existing: 0 };
  const ensureOrganization = async (
    name: string,
    type: Parameters<typeof createOrganization>[1]['type'],
    country: string | null,
  ) => {
    const found = await findOrganizationId(db, name, type, country);
    if (found) {
      organizations.existing++;
      return found;
    }
    organizations.created++;
    return (await createOrganization(db, { name, type, country }, now)).id;
  };
  const ministryId = await ensureOrganization(
    directory.ministry.name,
    'origin_state',
    directory.ministry.country,
  );
  for (const p of directory.partners) await ensureOrganization(p.name, p.type, p.country);
  const employerIds = new Map<string, string>();
  for (const e of directory.employers)
    employerIds.set(e.key, await ensureOrganization(e.name, 'employer', e.country));
  const posts = { created: 0, existing: 0 };
  for (const p of directory.posts) {
    if (await findPostId(db, ministryId, p.name)) {
      posts.existing++;
      continue;
    }
    await createPost(db, { organizationId: ministryId, ...p }, now);
    posts.created++;
  }

  const summary: SeedDemoSummary = {
    origin,
    seed: options.seed,
    people: 0,
    created: 0,
    skipped: 0,
    removed,
    households: 0,
    organizations,
    posts,
    byCountry: {},
  };

  const flush = async (units: DemoUnit[]) => {
    const members = units.flatMap((u) => u.members);
    const stored = await findDemoPersons(
      db,
      members.map((m) => m.externalRef),
    );
    const generated = new Map(members.map((m) => [m.externalRef, m]));
    for (const s of stored) {
      const g = generated.get(s.external_ref);
      if (g && (!sameName(g.givenNames, s.given_names) || !sameName(g.familyName, s.family_name))) {
        throw new AppError(
          'seed.demo_mismatch',
          'The registry holds demo people made with another seed or origin; run again with --replace to start over',
          409,
        );
      }
    }
    const existing = new Set(stored.map((s) => s.external_ref));
    const householdIds = await findHouseholdIds(
      db,
      units.flatMap((u) => (u.household ? [u.household.ref] : [])),
    );
    const households: HouseholdTable[] = [];
    const rows: PersonRows[] = [];
    for (const unit of units) {
      const fresh = unit.members.filter((m) => !existing.has(m.externalRef));
      summary.skipped += unit.members.length - fresh.length;
      if (fresh.length === 0) continue;
      let householdId: string | null = null;
      if (unit.household) {
        householdId = householdIds.get(unit.household.ref) ?? null;
        if (!householdId) {
          householdId = newId(now.getTime());
          const { ref, label, kind } = unit.household;
          households.push({
            id: householdId,
            label,
            kind,
            external_ref: ref,
            created_at: ts,
            updated_at: ts,
          });
        }
      }
      for (const m of fresh) {
        const { employerKey, ...input } = m;
        const checked = validatePerson(
          { ...input, householdId, employerId: employerKey ? (employerIds.get(employerKey) ?? null) : null },
          now,
        );
        if (!checked.ok) {
          // The generator only makes valid people; reaching this is a bug in it, not bad input.
          throw new Error(
            `demo person ${m.externalRef} fails validation: ${checked.errors.map((e) => e.code).join(', ')}`,
          );
        }
        rows.push(toPersonRows(newId(now.getTime()), checked.value, ts, ts));
      }
    }
    await db.transaction().execute(async (trx) => {
      await insertHouseholds(trx, households);
      await insertPersonRows(trx, rows);
    });
    summary.created += rows.length;
    summary.households += households.length;
  };

  let batch: DemoUnit[] = [];
  let batchPeople = 0;
  for (const unit of generateDemoPopulation({ profile, seed: options.seed, people: options.people, now })) {
    summary.people += unit.members.length;
    summary.byCountry[unit.country] = (summary.byCountry[unit.country] ?? 0) + unit.members.length;
    batch.push(unit);
    batchPeople += unit.members.length;
    if (batchPeople >= batchSize) {
      await flush(batch);
      batch = [];
      batchPeople = 0;
      options.onProgress?.({
        generated: summary.people,
        total: options.people,
        created: summary.created,
        skipped: summary.skipped,
      });
    }
  }
  if (batch.length) {
    await flush(batch);
    options.onProgress?.({
      generated: summary.people,
      total: options.people,
      created: summary.created,
      skipped: summary.skipped,
    });
  }
  return summary;
}
