import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  sql,
} from 'kysely';
import { openTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import {
  type ImportOptions,
  type ImportProgress,
  importPersons,
  iterateImportRejections,
  listImportRejections,
} from './imports.service.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/import/${name}`, import.meta.url));

let t: TestDatabase;
before(async () => {
  t = await openTestDatabase();
});
after(async () => {
  await t?.drop();
});

// Each test starts from an empty registry.
beforeEach(async () => {
  for (const table of [
    'import_rejections',
    'imports',
    'person_languages',
    'contacts',
    'persons',
    'households',
    'organizations',
  ] as const) {
    await t.db.deleteFrom(table).execute();
  }
});

const run = (csv: Buffer | string, options: Partial<ImportOptions> = {}) =>
  importPersons(t.db, [typeof csv === 'string' ? Buffer.from(csv) : csv], { source: 'cli', ...options });

async function rejections(id: string) {
  const out: [number, string, string | null][] = [];
  for await (const r of iterateImportRejections(t.db, id)) out.push([r.line, r.code, r.field]);
  return out;
}

async function personByRef(ref: string) {
  const person = await t.db
    .selectFrom('persons')
    .selectAll()
    .where('external_ref', '=', ref)
    .executeTakeFirstOrThrow();
  const contacts = await t.db
    .selectFrom('contacts')
    .selectAll()
    .where('person_id', '=', person.id)
    .orderBy('rank')
    .execute();
  const languages = await t.db
    .selectFrom('person_languages')
    .select('language')
    .where('person_id', '=', person.id)
    .orderBy('rank')
    .execute();
  return { person, contacts, languages: languages.map((l) => l.language) };
}

const count = async (table: 'persons' | 'contacts' | 'households' | 'organizations' | 'person_languages') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('importPersons', () => {
  test('stores every row of a valid file exactly, in any script, with households and employers linked', async () => {
    const progress: ImportProgress[] = [];
    const s = await run(fixture('persons-valid.csv'), { batchSize: 3, onProgress: (p) => progress.push(p) });
    assert.equal(s.status, 'done', JSON.stringify(s.error));
    assert.deepEqual([s.rowsRead, s.created, s.updated, s.unchanged, s.rejected], [8, 8, 0, 0, 0]);
    assert.deepEqual(
      progress.map((p) => p.rowsRead),
      [3, 6, 8],
    );

    const maria = await personByRef('T-001');
    assert.equal(maria.person.given_names, 'Maria Clara');
    assert.equal(maria.person.birth_year, 1990);
    assert.equal(maria.person.address, '12 Olaya St, Riyadh');
    assert.deepEqual(JSON.parse(maria.person.vulnerabilities), ['pregnant']);
    assert.equal(maria.person.document_status, 'held_by_employer');
    assert.deepEqual(maria.languages, ['fil', 'en']);
    assert.deepEqual(
      maria.contacts.map((c) => [c.kind, c.value]),
      [
        ['phone', '+966501234567'],
        ['email', 'maria.santos@example.org'],
      ],
    );
    assert.equal(maria.person.h3_cell?.length, 15);

    assert.equal((await personByRef('T-003')).person.given_names, 'فاطمة');
    assert.equal((await personByRef('T-003')).person.address, 'ديرة دبي');
    assert.deepEqual((await personByRef('T-003')).languages, ['ar', 'am']);
    assert.equal((await personByRef('T-004')).person.family_name, 'አበበ');
    assert.equal((await personByRef('T-005')).person.family_name, 'Dakilà-Ñiño');
    assert.equal((await personByRef('T-005')).person.address, 'Flat 3, "Block" B');
    assert.equal((await personByRef('T-006')).person.given_names, 'Joy 😊');
    const sqlLike = await personByRef('T-007');
    assert.equal(sqlLike.person.given_names, "Robert'); DROP TABLE persons;--");
    assert.equal(sqlLike.person.address, '1 Main St; SELECT * FROM users');
    assert.equal(await count('persons'), 8);

    // One household per reference, shared by its members; roles as given, "member" by default.
    const jose = await personByRef('T-002');
    assert.equal(jose.person.household_id, maria.person.household_id);
    assert.deepEqual([maria.person.household_role, jose.person.household_role], ['head', 'member']);
    assert.equal(await count('households'), 2);
    // Employers are found by name whatever the case and spacing, and created once as employers.
    assert.equal(jose.person.employer_id, maria.person.employer_id);
    const employers = await t.db
      .selectFrom('organizations')
      .select(['name', 'type'])
      .orderBy('name')
      .execute();
    assert.deepEqual(employers, [
      { name: 'Desert Facilities (synthetic)', type: 'employer' },
      { name: 'Gulf Cleaning (synthetic)', type: 'employer' },
    ]);
  });

  test('running the same file again creates nobody and changes nothing', async () => {
    const first = await run(fixture('persons-valid.csv'));
    const before = await t.db.selectFrom('persons').select(['id', 'updated_at']).orderBy('id').execute();
    const second = await run(fixture('persons-valid.csv'), { batchSize: 2 });
    assert.equal(second.status, 'done');
    assert.deepEqual(
      [second.created, second.updated, second.unchanged, second.rejected],
      [0, 0, first.created, 0],
    );
    assert.deepEqual(
      await t.db.selectFrom('persons').select(['id', 'updated_at']).orderBy('id').execute(),
      before,
    );
    assert.deepEqual(
      [await count('households'), await count('organizations'), await count('contacts')],
      [2, 2, 9],
    );
  });

  test('a changed row updates the person: filled cells replace, empty cells keep, phones are added with stored flags kept', async () => {
    await run(
      'external_ref,given_names,family_name,phone,address,country,languages\nC-1,Ana,Cruz,+971501112233,Deira,AE,fil;en\n',
    );
    const stored = await personByRef('C-1');
    await t.db
      .updateTable('contacts')
      .set({ verified: 1 })
      .where('person_id', '=', stored.person.id)
      .execute();

    const s = await run(
      'external_ref,given_names,family_name,phone,address,country,languages\nC-1,Ana,,+971501112234,Al Barsha,,en\n',
    );
    assert.deepEqual([s.created, s.updated, s.unchanged], [0, 1, 0]);
    const after = await personByRef('C-1');
    assert.equal(after.person.id, stored.person.id);
    assert.equal(after.person.family_name, 'Cruz');
    assert.equal(after.person.location_country, 'AE');
    assert.equal(after.person.address, 'Al Barsha');
    assert.deepEqual(after.languages, ['en']);
    assert.deepEqual(
      after.contacts.map((c) => [c.value, c.verified, c.rank]),
      [
        ['+971501112233', 1, 0],
        ['+971501112234', 0, 1],
      ],
    );
    assert.notEqual(after.person.updated_at, stored.person.updated_at);
    assert.equal(after.person.created_at, stored.person.created_at);
  });

  test('without an external reference, a row matches a person with the same phone and name; another name is another person', async () => {
    await run('given_names,family_name,phone\nAna,Cruz,+971501112233\n');
    const same = await run('given_names,family_name,phone,address\nANA,cruz,+971 50 111 2233,Deira\n');
    assert.deepEqual([same.created, same.updated], [0, 1]);
    // A family often shares one phone: a different name on the same phone is a different person.
    const sibling = await run('given_names,family_name,phone\nBen,Cruz,+971501112233\n');
    assert.deepEqual([sibling.created, sibling.updated], [1, 0]);
    assert.equal(await count('persons'), 2);
    // A phone never joins two different external references.
    const other = await run(
      'external_ref,given_names,family_name,phone\nX-1,Ana,Cruz,+971501112233\nX-2,Ana,Cruz,+971501112233\n',
    );
    assert.deepEqual([other.created, other.updated], [1, 1]);
    const refs = await t.db
      .selectFrom('persons')
      .select('external_ref')
      .where('external_ref', 'is not', null)
      .orderBy('external_ref')
      .execute();
    assert.deepEqual(
      refs.map((r) => r.external_ref),
      ['X-1', 'X-2'],
    );
  });

  test('a person named twice in one file is written once, the later row updating, within and across batches', async () => {
    const csv =
      'external_ref,given_names,address,phone\nD-1,Ana,First,+971501112233\nD-2,Ben,,\nD-3,Cara,,\nD-1,Ana,Second,\nD-3,Cara,,\n';
    for (const batchSize of [100, 2]) {
      await t.db.deleteFrom('contacts').execute();
      await t.db.deleteFrom('persons').execute();
      const s = await run(csv, { batchSize });
      assert.deepEqual(
        [s.created, s.updated, s.unchanged, s.rejected],
        [3, 1, 1, 0],
        `batch size ${batchSize}`,
      );
      assert.equal(await count('persons'), 3);
      const d1 = await personByRef('D-1');
      assert.equal(d1.person.address, 'Second');
      assert.deepEqual(
        d1.contacts.map((c) => c.value),
        ['+971501112233'],
      );
    }
  });

  test('bad values are rejected row by row with their line, code and column; the good rows around them are stored', async () => {
    const s = await run(fixture('persons-bad.csv'));
    assert.equal(s.status, 'done');
    assert.deepEqual(await rejections(s.id), [
      [3, 'person.phone_invalid', 'phone'],
      [4, 'person.country_unknown', 'country'],
      [5, 'person.coordinates_out_of_range', 'lat'],
      [6, 'person.coordinates_out_of_range', 'lon'],
      [7, 'person.field_too_long', 'given_names'],
      [8, 'import.column_count', null],
      [9, 'import.column_count', null],
      [10, 'import.malformed_row', null],
      [12, 'import.number_invalid', 'lat'],
      [13, 'person.vulnerability_unknown', 'vulnerabilities'],
      [14, 'person.field_required', 'given_names'],
      [15, 'person.country_unknown', 'nationality'],
      [16, 'person.coordinates_incomplete', 'lat'],
      [17, 'person.email_invalid', 'email'],
      [18, 'person.field_invalid', 'given_names'],
      [19, 'person.birth_date_invalid', 'birth_date'],
    ]);
    assert.deepEqual([s.rowsRead, s.created, s.rejected], [18, 2, 16]);
    const stored = await t.db.selectFrom('persons').select('external_ref').orderBy('external_ref').execute();
    assert.deepEqual(
      stored.map((p) => p.external_ref),
      ['B-01', 'B-10'],
    );
    // Nothing half-written: contacts belong only to the stored persons.
    assert.equal(await count('contacts'), 2);

    // Messages name the column and the rule, never the row's data.
    const text = readFileSync(
      new URL('../../../test/fixtures/import/persons-bad.csv', import.meta.url),
      'utf8',
    );
    const values = text
      .split('\n')
      .slice(1)
      .flatMap((line) => line.split(','))
      .filter((v) => v.length > 3 && !/^(B-\d+|AE|PH)$/.test(v));
    const page = await listImportRejections(t.db, s.id, { limit: 100 });
    for (const r of page.items) {
      for (const v of values)
        assert.ok(!r.message.includes(v), `line ${r.line}: message "${r.message}" repeats the row's data`);
    }
    assert.equal(
      page.items.find((r) => r.line === 7)?.message,
      'given_names: given_names is longer than 200 characters',
    );
  });

  test('a quote left open rejects its row only, and the rows after it are imported', async () => {
    const s = await run(fixture('unclosed-quote.csv'));
    assert.deepEqual([s.status, s.created, s.rejected], ['done', 3, 1]);
    assert.deepEqual(await rejections(s.id), [[3, 'import.malformed_row', null]]);
    assert.equal((await personByRef('U-4')).person.family_name, 'Uy');
  });

  test('Windows-1252 bytes are decoded and the summary says so', async () => {
    const s = await run(fixture('latin1.csv'));
    assert.equal(s.created, 2);
    const l1 = await personByRef('L-1');
    assert.deepEqual([l1.person.given_names, l1.person.family_name], ['José', 'Peña']);
    assert.deepEqual(s.warnings, ['1 rows were not valid UTF-8 and were read as Windows-1252 (Latin-1)']);
  });

  test('a byte order mark, CRLF, semicolons, decimal commas and header spellings are read', async () => {
    const s = await run(fixture('bom-crlf-semicolon.csv'));
    assert.deepEqual([s.status, s.created, s.rejected], ['done', 2, 0]);
    const s1 = await personByRef('S-1');
    assert.deepEqual([s1.person.given_names, s1.person.lat, s1.person.lon], ['Ana', 22.3193, 114.1694]);
    assert.deepEqual(
      (await personByRef('S-2')).contacts.map((c) => c.value),
      ['+85251234577', '+85251234578'],
    );
  });

  test('problems with the file itself fail the import with a code and store no row', async () => {
    const cases: [Buffer | string, string][] = [
      [fixture('empty.csv'), 'import.empty_file'],
      ['\n\n', 'import.empty_file'],
      ['family_name,phone\nCruz,+971501112233\n', 'import.missing_column'],
      ['given_names,phone_number_2,notes\nAna,1,x\n', 'import.unknown_column'],
      ['given_names,GIVEN NAMES\nAna,Ana\n', 'import.duplicate_column'],
      [Buffer.from('\ufeffgiven_names\nAna\n', 'utf16le'), 'import.bad_encoding'],
      ['"given_names\n', 'import.malformed_csv'],
    ];
    for (const [csv, code] of cases) {
      const s = await run(csv);
      assert.equal(s.status, 'failed', code);
      assert.equal(s.error?.code, code);
      const stored = await t.db
        .selectFrom('imports')
        .select(['status', 'error'])
        .where('id', '=', s.id)
        .executeTakeFirstOrThrow();
      assert.equal(stored.status, 'failed');
      assert.equal(JSON.parse(stored.error!).code, code);
    }
    assert.equal(await count('persons'), 0);
    const unknown = await run('given_names,phone_number_2,notes\nAna,1,x\n');
    assert.deepEqual(unknown.error?.columns, ['phone_number_2', 'notes']);

    const ignoring = await run('given_names,notes\nAna,x\n', { ignoreUnknownColumns: true });
    assert.deepEqual([ignoring.status, ignoring.created], ['done', 1]);
    assert.deepEqual(ignoring.warnings, ['ignored columns: notes']);
    const headerOnly = await run(fixture('header-only.csv'));
    assert.deepEqual([headerOnly.status, headerOnly.rowsRead], ['done', 0]);
  });

  test('when reading fails midway, the whole rows read before are kept and the summary says where it stopped', async () => {
    async function* source() {
      yield Buffer.from('external_ref,given_names\nR-1,Ana\nR-2,Ben\nR-3,Ca');
      throw new Error('connection reset');
    }
    const s = await importPersons(t.db, source(), { source: 'api' });
    assert.equal(s.status, 'failed');
    assert.deepEqual(s.error, {
      code: 'import.read_failed',
      message: 'reading the file failed after line 3; the rows read before were imported',
      line: 3,
    });
    assert.deepEqual([s.rowsRead, s.created], [2, 2]);
    assert.equal(await count('persons'), 2);
  });

  test('a batch that fails to write is rolled back whole: no half-written person, and the import says from which line', async () => {
    // Fails every insert into contacts after the first batch, as a full disk or a lost server would.
    let batches = 0;
    const failing: KyselyPlugin = {
      transformQuery(args: PluginTransformQueryArgs) {
        if (
          args.node.kind === 'InsertQueryNode' &&
          args.node.into?.table.identifier.name === 'contacts' &&
          ++batches > 1
        ) {
          throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
        }
        return args.node;
      },
      async transformResult(args: PluginTransformResultArgs) {
        return args.result;
      },
    };
    const csv = `external_ref,given_names,phone\n${Array.from({ length: 5 }, (_, i) => `W-${i},Name,+97150111223${i}`).join('\n')}\n`;
    const s = await importPersons(t.db.withPlugin(failing), [Buffer.from(csv)], {
      source: 'cli',
      batchSize: 2,
    });
    assert.equal(s.status, 'failed');
    assert.equal(s.error?.code, 'import.write_failed');
    assert.equal(s.error?.line, 4);
    assert.match(s.error?.message ?? '', /SQLITE_IOERR/);
    assert.deepEqual([s.rowsRead, s.created], [2, 2]);
    const stored = await t.db.selectFrom('persons').select('external_ref').orderBy('external_ref').execute();
    assert.deepEqual(
      stored.map((p) => p.external_ref),
      ['W-0', 'W-1'],
    );
    const orphans = await sql<{
      n: number;
    }>`select count(*) as n from contacts c where not exists (select 1 from persons p where p.id = c.person_id)`.execute(
      t.db,
    );
    assert.equal(Number(orphans.rows[0]?.n), 0);
  });

  test('with writable countries, rows for people located elsewhere are rejected', async () => {
    await run('external_ref,given_names,country\nJ-1,Ana,HK\n');
    const s = await run('external_ref,given_names,country\nJ-1,Ana,AE\nJ-2,Ben,AE\nJ-3,Cara,HK\nJ-4,Dee,\n', {
      writableCountries: ['AE'],
    });
    assert.deepEqual([s.created, s.updated, s.rejected], [1, 0, 3]);
    assert.deepEqual(await rejections(s.id), [
      [2, 'access.outside_jurisdiction', 'country'],
      [4, 'access.outside_jurisdiction', 'country'],
      [5, 'access.outside_jurisdiction', 'country'],
    ]);
    assert.equal((await personByRef('J-1')).person.location_country, 'HK');
  });
});
