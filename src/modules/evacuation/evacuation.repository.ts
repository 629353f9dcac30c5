import { type Insertable, type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { Dialect } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type {
  EvacuationAssemblyPointTable,
  EvacuationBoardingTable,
  EvacuationCostItemTable,
  EvacuationEvacueeTable,
  EvacuationHubTable,
  EvacuationLegTable,
  EvacuationOperationRow,
  EvacuationOperationTable,
  EvacuationPassSendTable,
  EvacuationPlanTable,
  NewEvacuationPlacementRow,
  ReturnCaseTable,
} from './evacuation.table.ts';

type Db = Kysely<DB> | Transaction<DB>;

// Ids per IN list: far below SQLite's 32,766 bound variables and PostgreSQL's 65,535 parameters.
const IN_CHUNK = 1000;

async function inChunks<T>(ids: readonly string[], run: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) out.push(...(await run(ids.slice(i, i + IN_CHUNK))));
  return out;
}

async function insertChunked<T extends keyof DB>(
  db: Db,
  table: T,
  rows: Insertable<DB[T]>[],
  perChunk: number,
): Promise<void> {
  for (let i = 0; i < rows.length; i += perChunk) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + perChunk) as never)
      .execute();
  }
}

// ------------------------------------------------------------------------------------------ operations

export async function insertOperation(db: Db, row: EvacuationOperationTable): Promise<void> {
  await db.insertInto('evacuation_operations').values(row).execute();
}

export function findOperation(db: Db, id: string): Promise<EvacuationOperationRow | undefined> {
  return db.selectFrom('evacuation_operations').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Reads the operation and, on PostgreSQL, locks its row until the transaction ends: every change to
 * an operation's plan or boarding takes this lock, so a re-plan never interleaves with a scan.
 * SQLite runs one write transaction at a time, which gives the same guarantee.
 */
export async function lockOperation(
  trx: Transaction<DB>,
  dialect: Dialect,
  id: string,
): Promise<EvacuationOperationRow | undefined> {
  const query = trx.selectFrom('evacuation_operations').selectAll().where('id', '=', id);
  return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

export function listOperations(
  db: Db,
  filter: { status?: string; country?: string; countries: string[] | null },
): Promise<EvacuationOperationRow[]> {
  let query = db.selectFrom('evacuation_operations').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.country) query = query.where('country', '=', filter.country);
  if (filter.countries) {
    if (filter.countries.length === 0) return Promise.resolve([]);
    query = query.where('country', 'in', filter.countries);
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(500).execute();
}

export async function updateOperation(
  db: Db,
  id: string,
  patch: Updateable<EvacuationOperationTable>,
): Promise<void> {
  await db.updateTable('evacuation_operations').set(patch).where('id', '=', id).execute();
}

export type OperationCounts = {
  evacuees: number;
  assemblyPoints: number;
  legs: number;
  boarded: number;
  arrived: number;
};

export async function countOperationRecords(db: Db, id: string): Promise<OperationCounts> {
  const count = async (table: 'evacuation_evacuees' | 'evacuation_assembly_points' | 'evacuation_legs') => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('operation_id', '=', id)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  };
  const boardings = await db
    .selectFrom('evacuation_boardings as b')
    .innerJoin('evacuation_legs as l', 'l.id', 'b.leg_id')
    .select([
      (eb) => eb.fn.countAll<number>().as('boarded'),
      (eb) =>
        eb.fn.sum<number>(eb.case().when('l.status', '=', 'arrived').then(1).else(0).end()).as('arrived'),
    ])
    .where('b.operation_id', '=', id)
    .executeTakeFirst();
  return {
    evacuees: await count('evacuation_evacuees'),
    assemblyPoints: await count('evacuation_assembly_points'),
    legs: await count('evacuation_legs'),
    boarded: Number(boardings?.boarded ?? 0),
    arrived: Number(boardings?.arrived ?? 0),
  };
}

/** Frees the operation's evacuees for other operations (when it closes). */
export async function releaseClaims(db: Db, operationId: string): Promise<void> {
  await db
    .updateTable('evacuation_evacuees')
    .set({ active_claim: null })
    .where('operation_id', '=', operationId)
    .execute();
}

// -------------------------------------------------------------------------------- points, hubs, legs

export async function insertAssemblyPoint(db: Db, row: EvacuationAssemblyPointTable): Promise<void> {
  await db.insertInto('evacuation_assembly_points').values(row).execute();
}

export function listAssemblyPoints(db: Db, operationId: string) {
  return db
    .selectFrom('evacuation_assembly_points')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('id')
    .execute();
}

export async function insertHub(db: Db, row: EvacuationHubTable): Promise<void> {
  await db.insertInto('evacuation_hubs').values(row).execute();
}

export function listHubs(db: Db, operationId: string) {
  return db
    .selectFrom('evacuation_hubs')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('id')
    .execute();
}

export async function insertLeg(db: Db, row: EvacuationLegTable): Promise<void> {
  await db.insertInto('evacuation_legs').values(row).execute();
}

export function findLeg(db: Db, id: string) {
  return db.selectFrom('evacuation_legs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listLegs(db: Db, operationId: string) {
  return db
    .selectFrom('evacuation_legs')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('departs_at')
    .orderBy('id')
    .execute();
}

export async function updateLeg(db: Db, id: string, patch: Updateable<EvacuationLegTable>): Promise<void> {
  await db.updateTable('evacuation_legs').set(patch).where('id', '=', id).execute();
}

// ------------------------------------------------------------------------------------------- evacuees

/** What adding a person to an operation needs to know about them. */
export type CandidatePerson = { id: string; household_id: string | null; location_country: string | null };

export function findCandidatesByIds(db: Db, ids: readonly string[]): Promise<CandidatePerson[]> {
  return inChunks(ids, (chunk) =>
    db
      .selectFrom('persons')
      .select(['id', 'household_id', 'location_country'])
      .where('id', 'in', chunk)
      .execute(),
  );
}

export function findCandidatesByFilter(
  db: Db,
  filter: { country: string; householdIds?: readonly string[] },
  limit: number,
): Promise<CandidatePerson[]> {
  const base = () =>
    db
      .selectFrom('persons')
      .select(['id', 'household_id', 'location_country'])
      .where('location_country', '=', filter.country);
  if (filter.householdIds) {
    return inChunks(filter.householdIds, (chunk) =>
      base().where('household_id', 'in', chunk).orderBy('id').execute(),
    );
  }
  return base().orderBy('id').limit(limit).execute();
}

export function findHouseholdMembers(db: Db, householdIds: readonly string[]): Promise<CandidatePerson[]> {
  return inChunks(householdIds, (chunk) =>
    db
      .selectFrom('persons')
      .select(['id', 'household_id', 'location_country'])
      .where('household_id', 'in', chunk)
      .execute(),
  );
}

export function findHouseholdKinds(db: Db, householdIds: readonly string[]) {
  return inChunks(householdIds, (chunk) =>
    db.selectFrom('households').select(['id', 'kind']).where('id', 'in', chunk).execute(),
  );
}

export async function findEvacueeIdsIn(
  db: Db,
  operationId: string,
  personIds: readonly string[],
): Promise<Set<string>> {
  const rows = await inChunks(personIds, (chunk) =>
    db
      .selectFrom('evacuation_evacuees')
      .select('person_id')
      .where('operation_id', '=', operationId)
      .where('person_id', 'in', chunk)
      .execute(),
  );
  return new Set(rows.map((r) => r.person_id));
}

/** Claims on these persons held by other open operations. */
export function findClaimsElsewhere(db: Db, operationId: string, personIds: readonly string[]) {
  return inChunks(personIds, (chunk) =>
    db
      .selectFrom('evacuation_evacuees')
      .select(['person_id', 'operation_id'])
      .where('active_claim', 'in', chunk)
      .where('operation_id', '!=', operationId)
      .execute(),
  );
}

export async function insertEvacuees(db: Db, rows: EvacuationEvacueeTable[]): Promise<void> {
  await insertChunked(db, 'evacuation_evacuees', rows, 500);
}

export function findEvacuee(db: Db, operationId: string, personId: string) {
  return db
    .selectFrom('evacuation_evacuees as e')
    .innerJoin('persons as p', 'p.id', 'e.person_id')
    .selectAll('e')
    .select(['p.document_status'])
    .where('e.operation_id', '=', operationId)
    .where('e.person_id', '=', personId)
    .executeTakeFirst();
}

export async function updateEvacuee(
  db: Db,
  operationId: string,
  personId: string,
  patch: Updateable<EvacuationEvacueeTable>,
): Promise<void> {
  await db
    .updateTable('evacuation_evacuees')
    .set(patch)
    .where('operation_id', '=', operationId)
    .where('person_id', '=', personId)
    .execute();
}

/** One page of an operation's evacuees with their names, document status, placement and boarding. */
export function listEvacueePage(
  db: Db,
  operationId: string,
  page: { after?: string; personId?: string; limit: number },
) {
  let query = db
    .selectFrom('evacuation_evacuees as e')
    .innerJoin('persons as p', 'p.id', 'e.person_id')
    .leftJoin('evacuation_placements as pl', (join) =>
      join.onRef('pl.operation_id', '=', 'e.operation_id').onRef('pl.person_id', '=', 'e.person_id'),
    )
    .leftJoin('evacuation_boardings as b', (join) =>
      join.onRef('b.operation_id', '=', 'e.operation_id').onRef('b.person_id', '=', 'e.person_id'),
    )
    .selectAll('e')
    .select([
      'p.given_names',
      'p.family_name',
      'p.household_id',
      'p.document_status',
      'pl.tier',
      'pl.leg_id',
      'pl.assembly_point_id',
      'pl.seat',
      'pl.reason',
      'pl.plan_id',
      'b.scanned_at',
    ])
    .where('e.operation_id', '=', operationId);
  if (page.after) query = query.where('e.person_id', '>', page.after);
  if (page.personId) query = query.where('e.person_id', '=', page.personId);
  return query.orderBy('e.person_id').limit(page.limit).execute();
}

// ------------------------------------------------------------------------------------------- planning

/** Every evacuee of the operation with the registry facts the planner needs. */
export function listPlanningEvacuees(db: Db, operationId: string) {
  return db
    .selectFrom('evacuation_evacuees as e')
    .innerJoin('persons as p', 'p.id', 'e.person_id')
    .select([
      'e.person_id',
      'e.group_id',
      'e.group_kind',
      'e.etd_ready_at',
      'e.needs_medical_seat',
      'e.needs_accessible_site',
      'p.lat',
      'p.lon',
      'p.birth_year',
      'p.vulnerabilities',
      'p.document_status',
    ])
    .where('e.operation_id', '=', operationId)
    .orderBy('e.person_id')
    .execute();
}

export function listBoardings(db: Db, operationId: string) {
  return db
    .selectFrom('evacuation_boardings')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('person_id')
    .execute();
}

export function listPlacements(db: Db, operationId: string) {
  return db
    .selectFrom('evacuation_placements')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('person_id')
    .execute();
}

export function findPlan(db: Db, id: string) {
  return db.selectFrom('evacuation_plans').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function latestPlanVersion(db: Db, operationId: string): Promise<number> {
  const row = await db
    .selectFrom('evacuation_plans')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('operation_id', '=', operationId)
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

export async function insertPlan(db: Db, row: EvacuationPlanTable): Promise<void> {
  await db.insertInto('evacuation_plans').values(row).execute();
}

/** Replaces every placement of the operation with those of a new plan; call inside its transaction. */
export async function replacePlacements(
  db: Db,
  operationId: string,
  rows: NewEvacuationPlacementRow[],
): Promise<void> {
  await db.deleteFrom('evacuation_placements').where('operation_id', '=', operationId).execute();
  await insertChunked(db, 'evacuation_placements', rows, 500);
}

// ------------------------------------------------------------------------------------------- boarding

export function findPlacement(db: Db, operationId: string, personId: string) {
  return db
    .selectFrom('evacuation_placements')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

export function findBoarding(db: Db, operationId: string, personId: string) {
  return db
    .selectFrom('evacuation_boardings')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

export async function insertBoarding(db: Db, row: EvacuationBoardingTable): Promise<void> {
  await db.insertInto('evacuation_boardings').values(row).execute();
}

/** People boarded and people placed, per leg. */
export async function countHeads(
  db: Db,
  legIds: readonly string[],
): Promise<Map<string, { boarded: number; assigned: number }>> {
  const out = new Map(legIds.map((id) => [id, { boarded: 0, assigned: 0 }]));
  const boarded = await inChunks(legIds, (chunk) =>
    db
      .selectFrom('evacuation_boardings')
      .select(['leg_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('leg_id', 'in', chunk)
      .groupBy('leg_id')
      .execute(),
  );
  const assigned = await inChunks(legIds, (chunk) =>
    db
      .selectFrom('evacuation_placements')
      .select(['leg_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('leg_id', 'in', chunk)
      .groupBy('leg_id')
      .execute(),
  );
  for (const r of boarded) out.get(r.leg_id)!.boarded = Number(r.n);
  for (const r of assigned) if (r.leg_id) out.get(r.leg_id)!.assigned = Number(r.n);
  return out;
}

/** The people placed on a leg, with what a manifest or a pass shows of them. */
export function listLegPassengers(db: Db, legId: string) {
  return db
    .selectFrom('evacuation_placements as pl')
    .innerJoin('persons as p', 'p.id', 'pl.person_id')
    .innerJoin('evacuation_evacuees as e', (join) =>
      join.onRef('e.operation_id', '=', 'pl.operation_id').onRef('e.person_id', '=', 'pl.person_id'),
    )
    .leftJoin('households as h', 'h.id', 'p.household_id')
    .leftJoin('evacuation_boardings as b', (join) =>
      join.onRef('b.operation_id', '=', 'pl.operation_id').onRef('b.person_id', '=', 'pl.person_id'),
    )
    .select([
      'pl.person_id',
      'pl.group_id',
      'pl.assembly_point_id',
      'pl.seat',
      'p.given_names',
      'p.family_name',
      'p.document_status',
      'p.household_id',
      'h.label as household_label',
      'e.etd_ready_at',
      'b.scanned_at',
    ])
    .where('pl.leg_id', '=', legId)
    .orderBy('pl.group_id')
    .orderBy('p.family_name')
    .orderBy('p.given_names')
    .orderBy('pl.person_id')
    .execute();
}

export function findPersonNames(db: Db, personId: string) {
  return db
    .selectFrom('persons')
    .select(['given_names', 'family_name'])
    .where('id', '=', personId)
    .executeTakeFirst();
}

export function listBoardedOnLeg(db: Db, legId: string) {
  return db
    .selectFrom('evacuation_boardings')
    .select('person_id')
    .where('leg_id', '=', legId)
    .orderBy('person_id')
    .execute();
}

/** Opens the return cases that do not exist yet; answers how many it opened. */
export async function insertReturnCases(db: Db, rows: ReturnCaseTable[]): Promise<number> {
  let opened = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const result = await db
      .insertInto('return_cases')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['operation_id', 'person_id']).doNothing())
      .executeTakeFirst();
    opened += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return opened;
}

export function listReturnCases(db: Db, operationId: string) {
  return db
    .selectFrom('return_cases')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('person_id')
    .execute();
}

// ---------------------------------------------------------------------------------------------- costs

export async function insertCostItem(db: Db, row: EvacuationCostItemTable): Promise<void> {
  await db.insertInto('evacuation_cost_items').values(row).execute();
}

export function listCostItems(db: Db, operationId: string, personId: string) {
  return db
    .selectFrom('evacuation_cost_items')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('person_id', '=', personId)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

/** Sums per currency, kind and status (exact: integers in thousandths). */
export function sumCostItems(db: Db, operationId: string) {
  return db
    .selectFrom('evacuation_cost_items')
    .select([
      'currency',
      'kind',
      'status',
      (eb) => eb.fn.sum<number>('amount_thousandths').as('amount'),
      (eb) => eb.fn.countAll<number>().as('items'),
    ])
    .where('operation_id', '=', operationId)
    .groupBy(['currency', 'kind', 'status'])
    .execute();
}

export function countCostEvacuees(db: Db, operationId: string) {
  return db
    .selectFrom('evacuation_cost_items')
    .select(['currency', sql<number>`count(distinct person_id)`.as('evacuees')])
    .where('operation_id', '=', operationId)
    .groupBy('currency')
    .execute();
}

export function findNamedArea(db: Db, id: string) {
  return db.selectFrom('named_areas').select(['id', 'country']).where('id', '=', id).executeTakeFirst();
}

/** Legs open for boarding (or just closed) of the open operations in these countries (null: all). */
export function listBoardingLegs(db: Db, countries: string[] | null) {
  if (countries && countries.length === 0) return Promise.resolve([]);
  let query = db
    .selectFrom('evacuation_legs as l')
    .innerJoin('evacuation_operations as o', 'o.id', 'l.operation_id')
    .select([
      'l.id',
      'l.operation_id',
      'l.mode',
      'l.destination',
      'l.departs_at',
      'l.status',
      'l.seats',
      'o.crisis',
      'o.country',
    ])
    .where('o.status', '!=', 'closed')
    .where('l.status', 'in', ['scheduled', 'boarding_closed']);
  if (countries) query = query.where('o.country', 'in', countries);
  return query.orderBy('l.departs_at').orderBy('l.id').limit(500).execute();
}

// ------------------------------------------------------------------------- evacuees drawn from requests

/** A person who asked to be evacuated, with where they were when they asked (if known). */
export type RequestingPerson = CandidatePerson & {
  lat: number | null;
  lon: number | null;
  /** The location given with the request itself (an SOS position), preferred over the registry's. */
  request_lat: number | null;
  request_lon: number | null;
};

/**
 * People located in `country` with an open (not closed) help request of type 'evacuation', once each,
 * with the position of their latest such request.
 */
export async function findOpenEvacuationRequests(db: Db, country: string): Promise<RequestingPerson[]> {
  const rows = await db
    .selectFrom('help_requests as hr')
    .innerJoin('persons as p', 'p.id', 'hr.person_id')
    .select([
      'p.id',
      'p.household_id',
      'p.location_country',
      'p.lat',
      'p.lon',
      'hr.lat as request_lat',
      'hr.lng as request_lon',
    ])
    .where('hr.type', '=', 'evacuation')
    .where('hr.status', '!=', 'closed')
    .where('p.location_country', '=', country)
    .orderBy('p.id')
    .orderBy('hr.created_at', 'desc')
    .orderBy('hr.id', 'desc')
    .execute();
  const latest = new Map<string, RequestingPerson>();
  for (const row of rows) if (!latest.has(row.id)) latest.set(row.id, row);
  return [...latest.values()];
}

/** The issued alerts concerning `country`: these ids, or the real ones issued since `since`. */
export function findOperationAlerts(
  db: Db,
  country: string,
  choice: { alertIds: readonly string[] } | { since: string },
) {
  let query = db
    .selectFrom('alerts as a')
    .innerJoin('alert_countries as ac', 'ac.alert_id', 'a.id')
    .select(['a.id', 'a.status', 'a.issued_at'])
    .where('ac.country', '=', country)
    .where('a.issued_at', 'is not', null);
  query =
    'alertIds' in choice
      ? query.where('a.id', 'in', choice.alertIds.length > 0 ? [...choice.alertIds] : [''])
      : query.where('a.status', '=', 'Actual').where('a.issued_at', '>=', choice.since);
  return query.orderBy('a.issued_at').orderBy('a.id').execute();
}

/**
 * People located in `country` whose latest answer to any of these alerts is 'need_help' (a later
 * "safe" to any of them withdraws it).
 */
export function findPeopleNeedingHelp(
  db: Db,
  country: string,
  alertIds: readonly string[],
): Promise<RequestingPerson[]> {
  if (alertIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom((eb) =>
      eb
        .selectFrom('responses')
        .select([
          'person_id',
          'answer',
          sql<number>`row_number() over (partition by person_id order by received_at desc, created_at desc, id desc)`.as(
            'rank',
          ),
        ])
        .where('alert_id', 'in', [...alertIds])
        .as('r'),
    )
    .innerJoin('persons as p', 'p.id', 'r.person_id')
    .select([
      'p.id',
      'p.household_id',
      'p.location_country',
      'p.lat',
      'p.lon',
      sql<number | null>`null`.as('request_lat'),
      sql<number | null>`null`.as('request_lon'),
    ])
    .where('r.rank', '=', 1)
    .where('r.answer', '=', 'need_help')
    .where('p.location_country', '=', country)
    .orderBy('p.id')
    .execute();
}

/** The named area's geometry (a GeoJSON Polygon or MultiPolygon), parsed. */
export async function findNamedAreaGeometry(db: Db, id: string): Promise<unknown | null> {
  const row = await db.selectFrom('named_areas').select('geometry').where('id', '=', id).executeTakeFirst();
  return row ? (JSON.parse(row.geometry) as unknown) : null;
}

// ----------------------------------------------------------------------------------- passes sent

/** The languages each person reads, best first. */
export async function findPersonLanguages(
  db: Db,
  personIds: readonly string[],
): Promise<Map<string, string[]>> {
  const rows = await inChunks(personIds, (chunk) =>
    db
      .selectFrom('person_languages')
      .select(['person_id', 'language'])
      .where('person_id', 'in', chunk)
      .orderBy('person_id')
      .orderBy('rank')
      .execute(),
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.person_id, [...(out.get(r.person_id) ?? []), r.language]);
  return out;
}

/** The passes already sent for this leg, as `person_id` → the pass keys sent. */
export async function findPassSends(db: Db, legId: string): Promise<Map<string, Set<string>>> {
  const rows = await db
    .selectFrom('evacuation_pass_sends')
    .select(['person_id', 'pass_key'])
    .where('leg_id', '=', legId)
    .execute();
  const out = new Map<string, Set<string>>();
  for (const r of rows) out.set(r.person_id, (out.get(r.person_id) ?? new Set()).add(r.pass_key));
  return out;
}

export async function insertPassSend(db: Db, row: EvacuationPassSendTable): Promise<void> {
  await db.insertInto('evacuation_pass_sends').values(row).execute();
}
