import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import {
  type FieldError,
  normalizeName,
  type PersonValues,
  validatePerson,
} from '../../domain/registry/person.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import {
  findIdsByExternalRefs,
  findPersonsByIds,
  insertPersonRows,
  type PersonRows,
} from '../registry/persons.repository.ts';
import { toPersonRows } from '../registry/persons.service.ts';
import type { ContactTable, OrganizationTable, PersonTable } from '../registry/registry.table.ts';
import {
  type ColumnLayout,
  columnOfField,
  type MappedRow,
  mapRow,
  resolveColumns,
} from './imports.columns.ts';
import { type CsvDelimiter, CsvEncodingError, type CsvItem, type CsvReader, readCsv } from './imports.csv.ts';
import {
  applyRow,
  newWorkingPerson,
  phoneNameKey,
  storedWorkingPerson,
  type WorkingPerson,
} from './imports.merge.ts';
import {
  findHouseholdIds,
  findImport,
  findPhoneHolders,
  insertHouseholds,
  insertImport,
  insertOrganizations,
  insertRejections,
  listEmployers,
  listRejections,
  type PhoneHolder,
  updateImport,
  updatePersonRows,
} from './imports.repository.ts';
import type { ImportRejectionTable, ImportTable } from './imports.table.ts';

export const IMPORT_SOURCES = ['cli', 'api', 'bench'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];
export type ImportStatus = 'running' | 'done' | 'failed';

/** Rows per transaction: large enough to amortise each commit, small enough to keep memory flat. */
export const DEFAULT_BATCH_SIZE = 2000;
export const MAX_BATCH_SIZE = 50_000;

/** Why an import stopped, or could not start. `line` is where reading or writing stopped, when known. */
export type ImportError = { code: string; message: string; line: number | null; columns?: string[] };

/** The outcome of an import. Every data row read is counted in exactly one of created, updated, unchanged, rejected. */
export type ImportSummary = {
  id: string;
  status: ImportStatus;
  source: string;
  filename: string | null;
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  error: ImportError | null;
  startedAt: string;
  finishedAt: string | null;
  /** Notes on how the file was read (only in the answer of the run itself). */
  warnings: string[];
};

/** Counts after each committed batch, for a progress bar. */
export type ImportProgress = {
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Bytes of the file read so far (reading runs up to one batch ahead of the counts). */
  bytesRead: number;
};

export type ImportOptions = {
  source: ImportSource;
  /** The file's base name, for the record; never a path. */
  filename?: string | null;
  batchSize?: number;
  /** Field delimiter; detected from the header line when absent. */
  delimiter?: CsvDelimiter;
  /** Ignore columns Haven does not know instead of refusing the file. */
  ignoreUnknownColumns?: boolean;
  /**
   * Countries whose people this import may create or change (a consular officer's jurisdiction);
   * absent means any. Rows for people located elsewhere are rejected with `access.outside_jurisdiction`.
   */
  writableCountries?: readonly string[];
  onProgress?: (progress: ImportProgress) => void;
  /** The clock, for tests; timestamps and the birth-date check use it. */
  clock?: () => Date;
};

/** One rejected row, as reported: the file line it starts on, a stable code, the column, a message without the row's data. */
export type ImportRejection = { line: number; code: string; field: string | null; message: string };

/** A checked row waiting for its batch; it keeps only what the commit needs, not the raw cells. */
type PendingRow = {
  line: number;
  mapped: Pick<MappedRow, 'filled' | 'householdRef' | 'employerName'>;
  values: PersonValues;
  nameSearch: string;
};

type Batch = {
  rows: PendingRow[];
  rejections: ImportRejectionTable[];
  rowsRead: number;
  firstLine: number | null;
};

type Totals = { rowsRead: number; created: number; updated: number; unchanged: number; rejected: number };

const newBatch = (): Batch => ({ rows: [], rejections: [], rowsRead: 0, firstLine: null });

const MAX_MESSAGE_LENGTH = 1000;

const OUTSIDE_JURISDICTION: FieldError = {
  code: 'access.outside_jurisdiction',
  field: 'location.country',
  message: "the person's country is not in your post's jurisdiction",
};

/** How employers are matched by name: case, spacing and Unicode composition do not matter. */
export const employerKey = (name: string) => name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/** Splits a buffer into views of at most `size` bytes, so a request body is read like a file stream. */
export function* chunksOf(buffer: Uint8Array, size = 64 * 1024): Generator<Uint8Array> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, Math.min(i + size, buffer.length));
}

function rejectionOf(importId: string, line: number, errors: FieldError[]): ImportRejectionTable {
  const first = errors[0]!;
  const message = errors
    .map((e) => {
      const column = columnOfField(e.field);
      // validatePerson names fields the API way (givenNames); the report speaks in CSV columns.
      const base = e.field.replace(/\[\d+\]$/, '');
      return `${column}: ${e.message.startsWith(base) ? column + e.message.slice(base.length) : e.message}`;
    })
    .join('; ');
  return {
    import_id: importId,
    row_number: line,
    code: first.code,
    field: columnOfField(first.field),
    message: message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : message,
  };
}

function databaseErrorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'unknown';
}

class ImportRun {
  private layout: ColumnLayout | undefined;
  private batch = newBatch();
  private readonly totals: Totals = { rowsRead: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  private inflight: Promise<ImportError | null> = Promise.resolve(null);
  private employers: Map<string, string> | undefined;
  private reader: CsvReader | undefined;
  private lastLine = 0;
  private windows1252Rows = 0;
  private readonly batchSize: number;
  private readonly startedAt: Date;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly id: string,
    private readonly options: ImportOptions,
    private readonly clock: () => Date,
  ) {
    this.batchSize = Math.min(
      Math.max(Math.trunc(options.batchSize ?? DEFAULT_BATCH_SIZE), 1),
      MAX_BATCH_SIZE,
    );
    this.startedAt = clock();
  }

  async run(
    source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  ): Promise<{ error: ImportError | null; warnings: string[] }> {
    let error: ImportError | null = null;
    const iterable = Symbol.asyncIterator in source ? source : toAsync(source);
    try {
      outer: for await (const items of readCsv(iterable, { delimiter: this.options.delimiter }, (r) => {
        this.reader = r;
      })) {
        for (const item of items) {
          if (!this.layout) {
            error = this.readHeader(item);
            if (error) break outer;
            continue;
          }
          this.readRow(item);
          if (this.batch.rows.length + this.batch.rejections.length >= this.batchSize) {
            error = await this.flush();
            if (error) break outer;
          }
        }
      }
      if (!error && !this.layout)
        error = {
          code: 'import.empty_file',
          message: 'the file is empty: it has no header line',
          line: null,
        };
    } catch (err) {
      error =
        err instanceof CsvEncodingError
          ? { code: err.code, message: err.message, line: null }
          : {
              code: 'import.read_failed',
              message: `reading the file failed after line ${this.lastLine}; the rows read before were imported`,
              line: this.lastLine,
            };
    }
    // Rows read before a read failure are whole and checked: they are committed like any other batch.
    if (!error || error.code === 'import.read_failed') {
      const writeError = (await this.flush()) ?? (await this.settle());
      if (writeError) error = writeError;
    } else {
      await this.settle();
    }
    const warnings: string[] = [];
    if (this.windows1252Rows > 0) {
      warnings.push(
        `${this.windows1252Rows} rows were not valid UTF-8 and were read as Windows-1252 (Latin-1)`,
      );
    }
    if (this.layout?.ignored.length) warnings.push(`ignored columns: ${this.layout.ignored.join(', ')}`);
    return { error, warnings };
  }

  private readHeader(item: CsvItem): ImportError | null {
    if (item.kind === 'malformed') {
      return {
        code: 'import.malformed_csv',
        message: `the header line is not valid CSV: ${item.message}`,
        line: item.line,
      };
    }
    const resolved = resolveColumns(item.fields, { ignoreUnknownColumns: this.options.ignoreUnknownColumns });
    if (!resolved.ok) return { ...resolved.problem, line: item.line };
    this.layout = resolved.layout;
    return null;
  }

  private readRow(item: CsvItem): void {
    const batch = this.batch;
    if (item.kind === 'record' && !item.fields.some((f) => f !== '' && f.trim() !== '')) return; // a blank row, as spreadsheets export
    batch.rowsRead++;
    batch.firstLine ??= item.line;
    this.lastLine = item.line;
    if (item.kind === 'malformed') {
      batch.rejections.push({
        import_id: this.id,
        row_number: item.line,
        code: item.code,
        field: null,
        message: item.message,
      });
      return;
    }
    const layout = this.layout!;
    if (item.fields.length !== layout.width) {
      batch.rejections.push({
        import_id: this.id,
        row_number: item.line,
        code: 'import.column_count',
        field: null,
        message: `expected ${layout.width} fields as in the header, found ${item.fields.length}`,
      });
      return;
    }
    if (item.windows1252) this.windows1252Rows++;
    const mapped = mapRow(item.fields, layout);
    const checked = validatePerson(mapped.input, this.startedAt);
    if (!checked.ok || mapped.errors.length) {
      batch.rejections.push(
        rejectionOf(this.id, item.line, [...mapped.errors, ...(checked.ok ? [] : checked.errors)]),
      );
      return;
    }
    const v = checked.value;
    batch.rows.push({
      line: item.line,
      mapped: { filled: mapped.filled, householdRef: mapped.householdRef, employerName: mapped.employerName },
      values: v,
      nameSearch: normalizeName(`${v.givenNames} ${v.familyName ?? ''}`),
    });
  }

  /**
   * Starts committing the current batch and returns at once, so the next batch is read and checked
   * while the database writes (on PostgreSQL the two overlap). Returns the previous batch's failure.
   */
  private async flush(): Promise<ImportError | null> {
    const previous = await this.settle();
    if (previous) return previous;
    const batch = this.batch;
    this.batch = newBatch();
    if (batch.rowsRead === 0) return null;
    this.inflight = this.commit(batch).then(
      () => null,
      (err: unknown) => ({
        code: 'import.write_failed',
        message: `writing the rows from line ${batch.firstLine} on failed (database error ${databaseErrorCode(err)}); they were not imported`,
        line: batch.firstLine,
      }),
    );
    return null;
  }

  private async settle(): Promise<ImportError | null> {
    const result = await this.inflight;
    this.inflight = Promise.resolve(null);
    return result;
  }

  private async employerIds(): Promise<Map<string, string>> {
    if (!this.employers) {
      this.employers = new Map();
      for (const e of await listEmployers(this.db)) {
        const key = employerKey(e.name);
        if (!this.employers.has(key)) this.employers.set(key, e.id);
      }
    }
    return this.employers;
  }

  private async commit(batch: Batch): Promise<void> {
    const now = this.clock();
    const ts = now.toISOString();
    const counts: Totals = { rowsRead: batch.rowsRead, created: 0, updated: 0, unchanged: 0, rejected: 0 };
    const rejections = [...batch.rejections];
    const employers = batch.rows.some((r) => r.mapped.employerName)
      ? await this.employerIds()
      : new Map<string, string>();
    const newEmployers = new Map<string, OrganizationTable>();
    const writable = this.options.writableCountries ? new Set(this.options.writableCountries) : null;

    await this.db.transaction().execute(async (trx) => {
      const rows = batch.rows;

      const householdRefs = [
        ...new Set(rows.flatMap((r) => (r.mapped.householdRef ? [r.mapped.householdRef] : []))),
      ];
      const households = await findHouseholdIds(trx, householdRefs);
      const missing = householdRefs.filter((ref) => !households.has(ref));
      if (missing.length) {
        await insertHouseholds(
          trx,
          missing.map((ref) => ({
            id: newId(),
            label: ref,
            kind: 'household',
            external_ref: ref,
            created_at: ts,
            updated_at: ts,
          })),
        );
        for (const [ref, id] of await findHouseholdIds(trx, missing)) households.set(ref, id);
      }

      for (const r of rows) {
        r.values.householdId = r.mapped.householdRef ? households.get(r.mapped.householdRef)! : null;
        const name = r.mapped.employerName;
        if (!name) continue;
        const key = employerKey(name);
        let id = employers.get(key) ?? newEmployers.get(key)?.id;
        if (!id) {
          id = newId();
          newEmployers.set(key, {
            id,
            name,
            type: 'employer',
            country: null,
            created_at: ts,
            updated_at: ts,
          });
        }
        r.values.employerId = id;
      }
      if (newEmployers.size) await insertOrganizations(trx, [...newEmployers.values()]);

      const targets = await this.matchTargets(trx, rows);
      const storedIds = [...new Set(targets.flatMap((t) => (t.startsWith('db:') ? [t.slice(3)] : [])))];
      const working = new Map<string, WorkingPerson>();
      for (const record of await findPersonsByIds(trx, storedIds))
        working.set(`db:${record.person.id}`, storedWorkingPerson(record));

      rows.forEach((row, i) => {
        const target = targets[i]!;
        const w = working.get(target);
        if (writable) {
          const current = w ? w.person.location_country : null;
          const next = row.values.location.country ?? current;
          if ((w && !writable.has(current ?? '')) || !writable.has(next ?? '')) {
            rejections.push(rejectionOf(this.id, row.line, [OUTSIDE_JURISDICTION]));
            return;
          }
        }
        if (!w) {
          // A new person, or (rarely) a stored one removed since it was matched: created from this row.
          working.set(target, newWorkingPerson(toPersonRows(newId(now.getTime()), row.values, ts, ts)));
          counts.created++;
          return;
        }
        const fresh = toPersonRows(w.person.id, row.values, w.person.created_at, ts);
        const applied = applyRow(w, fresh, row.mapped.filled, ts);
        if (!applied.ok) rejections.push(rejectionOf(this.id, row.line, [applied]));
        else if (applied.changed) counts.updated++;
        else counts.unchanged++;
      });

      const creates: PersonRows[] = [];
      const updates: PersonTable[] = [];
      const addedContacts: ContactTable[] = [];
      const languages: { personId: string; languages: string[] }[] = [];
      for (const w of working.values()) {
        if (w.isNew) {
          const id = w.person.id;
          creates.push({
            person: w.person,
            contacts: w.contacts,
            languages: w.languages.map((language, rank) => ({ person_id: id, rank, language })),
          });
        } else if (w.changed) {
          updates.push(w.person);
          addedContacts.push(...w.addedContacts);
          if (w.languagesChanged) languages.push({ personId: w.person.id, languages: w.languages });
        }
      }
      await insertPersonRows(trx, creates);
      await updatePersonRows(trx, updates, addedContacts, languages);
      counts.rejected = rejections.length;
      await insertRejections(trx, rejections);
      await updateImport(trx, this.id, {
        total_rows: this.totals.rowsRead + counts.rowsRead,
        created_rows: this.totals.created + counts.created,
        updated_rows: this.totals.updated + counts.updated,
        rejected_rows: this.totals.rejected + counts.rejected,
      });
    });

    for (const [key, org] of newEmployers) employers.set(key, org.id);
    const t = this.totals;
    t.rowsRead += counts.rowsRead;
    t.created += counts.created;
    t.updated += counts.updated;
    t.unchanged += counts.unchanged;
    t.rejected += counts.rejected;
    this.options.onProgress?.({ ...t, bytesRead: this.reader?.bytesRead ?? 0 });
  }

  /**
   * Decides, for each row of a batch, which person it writes: `db:<id>` for a stored person,
   * `new:<index>` for a person the batch creates. A row matches on its external reference first,
   * then on a phone held by a person with the same normalised name whose external reference (if any)
   * is the row's. Earlier rows of the same batch are matched the same way, so a person named twice in
   * one file is written once.
   */
  private async matchTargets(trx: Kysely<DB>, rows: PendingRow[]): Promise<string[]> {
    const refs = [...new Set(rows.flatMap((r) => (r.values.externalRef ? [r.values.externalRef] : [])))];
    const byRef = await findIdsByExternalRefs(trx, refs);
    const phones = [
      ...new Set(
        rows.flatMap((r) =>
          r.values.externalRef && byRef.has(r.values.externalRef) ? [] : r.values.phones.map((p) => p.value),
        ),
      ),
    ];
    const holders = new Map<string, PhoneHolder[]>();
    for (const h of await findPhoneHolders(trx, phones)) {
      const list = holders.get(h.phone);
      if (list) list.push(h);
      else holders.set(h.phone, [h]);
    }

    const keyTarget = new Map<string, string>();
    // The external reference each target will carry, so a phone never joins two different references.
    const refOfTarget = new Map<string, string | null>();
    const refOf = (target: string, stored: string | null) =>
      refOfTarget.has(target) ? refOfTarget.get(target)! : stored;
    const compatible = (a: string | null, b: string | null) => !a || !b || a === b;
    return rows.map((row, i) => {
      const v = row.values;
      const ref = v.externalRef;
      let target: string | undefined;
      if (ref) {
        target = keyTarget.get(`r${ref}`);
        const stored = byRef.get(ref);
        if (!target && stored) target = `db:${stored}`;
      }
      if (!target) {
        for (const phone of v.phones) {
          const pending = keyTarget.get(`p${phoneNameKey(phone.value, row.nameSearch)}`);
          if (pending && compatible(refOf(pending, null), ref)) {
            target = pending;
            break;
          }
          const holder = holders
            .get(phone.value)
            ?.find(
              (h) => h.nameSearch === row.nameSearch && compatible(refOf(`db:${h.id}`, h.externalRef), ref),
            );
          if (holder) {
            target = `db:${holder.id}`;
            if (!refOfTarget.has(target)) refOfTarget.set(target, holder.externalRef);
            break;
          }
        }
      }
      target ??= `new:${i}`;
      if (ref) {
        keyTarget.set(`r${ref}`, target);
        if (!refOfTarget.get(target)) refOfTarget.set(target, ref);
      } else if (!refOfTarget.has(target)) refOfTarget.set(target, null);
      for (const phone of v.phones) keyTarget.set(`p${phoneNameKey(phone.value, row.nameSearch)}`, target);
      return target;
    });
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

function parseError(raw: string | null): ImportError | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as ImportError;
  } catch {
    return { code: 'import.failed', message: raw, line: null };
  }
}

/** The summary of a stored import row. */
export function toImportSummary(row: ImportTable, warnings: string[] = []): ImportSummary {
  return {
    id: row.id,
    status: row.status as ImportStatus,
    source: row.source,
    filename: row.filename,
    rowsRead: row.total_rows,
    created: row.created_rows,
    updated: row.updated_rows,
    unchanged: Math.max(0, row.total_rows - row.created_rows - row.updated_rows - row.rejected_rows),
    rejected: row.rejected_rows,
    error: parseError(row.error),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    warnings,
  };
}

/**
 * Imports persons from a CSV byte stream (see docs/import.md for the columns and rules). Rows are
 * checked one by one and committed in batches: a person is written whole with their contacts and
 * languages, or not at all. Rows that match a stored person (by external reference, or by phone and
 * name) update that person. The import is recorded, with one rejection per rejected row; problems
 * with the file itself end the import with status `failed` and a coded error, never an exception.
 * Database errors while recording the import's own status are thrown.
 */
export async function importPersons(
  db: Kysely<DB>,
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: ImportOptions,
): Promise<ImportSummary> {
  const clock = options.clock ?? (() => new Date());
  const id = newId();
  const row: ImportTable = {
    id,
    source: options.source,
    filename: options.filename ?? null,
    status: 'running',
    total_rows: 0,
    created_rows: 0,
    updated_rows: 0,
    rejected_rows: 0,
    error: null,
    started_at: clock().toISOString(),
    finished_at: null,
  };
  await insertImport(db, row);
  let outcome: { error: ImportError | null; warnings: string[] };
  try {
    outcome = await new ImportRun(db, id, options, clock).run(source);
  } catch (err) {
    // An unexpected fault: the record must not stay "running" for ever.
    const error: ImportError = {
      code: 'import.internal',
      message: 'the import stopped on an internal error',
      line: null,
    };
    await updateImport(db, id, {
      status: 'failed',
      error: JSON.stringify(error),
      finished_at: clock().toISOString(),
    });
    throw err;
  }
  const { error, warnings } = outcome;
  await updateImport(db, id, {
    status: error ? 'failed' : 'done',
    error: error ? JSON.stringify(error) : null,
    finished_at: clock().toISOString(),
  });
  return toImportSummary((await findImport(db, id))!, warnings);
}

/** One import's summary, or `import.not_found`. */
export async function getImport(db: Kysely<DB>, id: string): Promise<ImportSummary> {
  const row = await findImport(db, id);
  if (!row) throw new AppError('import.not_found', 'Import not found', 404);
  return toImportSummary(row);
}

const encodeCursor = (row: number) => Buffer.from(String(row)).toString('base64url');
function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  if (!/^\d{1,12}$/.test(text)) throw new AppError('request.bad_cursor', 'The cursor is not valid', 400);
  return Number(text);
}

/** One page of an import's rejection report, in file order. */
export async function listImportRejections(
  db: Kysely<DB>,
  id: string,
  page: { cursor?: string; limit?: number } = {},
): Promise<{ items: ImportRejection[]; nextCursor: string | null }> {
  if (!(await findImport(db, id))) throw new AppError('import.not_found', 'Import not found', 404);
  const limit = Math.min(Math.max(page.limit ?? 100, 1), 1000);
  const after = page.cursor ? decodeCursor(page.cursor) : 0;
  const rows = await listRejections(db, id, after, limit + 1);
  const items = rows
    .slice(0, limit)
    .map((r) => ({ line: r.row_number, code: r.code, field: r.field, message: r.message }));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.line) : null };
}

/** Every rejection of an import, page by page, for writing a full report without holding it in memory. */
export async function* iterateImportRejections(db: Kysely<DB>, id: string): AsyncGenerator<ImportRejection> {
  let cursor: string | undefined;
  do {
    const page = await listImportRejections(db, id, { cursor, limit: 1000 });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
