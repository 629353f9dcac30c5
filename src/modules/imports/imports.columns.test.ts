import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COLUMN_BIT, columnOfField, mapRow, PLACEHOLDER_ID, resolveColumns } from './imports.columns.ts';

describe('resolveColumns', () => {
  test('matches header names whatever their case, spacing or hyphens, and common aliases', () => {
    const r = resolveColumns([
      'External Ref',
      'GIVEN-NAMES',
      ' family_name ',
      'Phones',
      'latitude',
      'lng',
      '',
    ]);
    assert.ok(r.ok);
    assert.deepEqual(r.layout.index, {
      external_ref: 0,
      given_names: 1,
      family_name: 2,
      phone: 3,
      lat: 4,
      lon: 5,
    });
    assert.equal(r.layout.width, 7);
  });

  test('refuses a file without given_names, with unknown columns, or with a column named twice', () => {
    const missing = resolveColumns(['family_name', 'phone']);
    assert.ok(!missing.ok);
    assert.equal(missing.problem.code, 'import.missing_column');

    const unknown = resolveColumns(['given_names', 'phone_nr', 'notes']);
    assert.ok(!unknown.ok);
    assert.equal(unknown.problem.code, 'import.unknown_column');
    assert.deepEqual(unknown.problem.columns, ['phone_nr', 'notes']);

    const twice = resolveColumns(['given_names', 'phone', 'Phones']);
    assert.ok(!twice.ok);
    assert.equal(twice.problem.code, 'import.duplicate_column');
  });

  test('ignores unknown columns when asked, and lists them', () => {
    const r = resolveColumns(['given_names', 'notes'], { ignoreUnknownColumns: true });
    assert.ok(r.ok);
    assert.deepEqual(r.layout.ignored, ['notes']);
  });
});

describe('mapRow', () => {
  const layout = (header: string[]) => {
    const r = resolveColumns(header);
    if (!r.ok) throw new Error(r.problem.message);
    return r.layout;
  };

  test('splits lists on ; or |, reads decimal commas, and marks which cells were filled', () => {
    const l = layout(['given_names', 'languages', 'phone', 'lat', 'lon', 'vulnerabilities', 'family_name']);
    const row = mapRow([' Ana ', 'fil|en; ar', '+971501112233;', '25,2', '55.27', 'pregnant', ''], l);
    assert.deepEqual(row.errors, []);
    assert.equal(row.input.givenNames, 'Ana');
    assert.deepEqual(row.input.languages, ['fil', 'en', 'ar']);
    assert.deepEqual(row.input.phones, [{ value: '+971501112233' }]);
    assert.deepEqual(row.input.location, { lat: 25.2, lon: 55.27 });
    assert.equal(row.filled & COLUMN_BIT.family_name, 0);
    assert.notEqual(row.filled & COLUMN_BIT.vulnerabilities, 0);
  });

  test('reports numbers that are not numbers and lists that are too long, by column', () => {
    const l = layout(['given_names', 'lat', 'lon', 'birth_year', 'phone']);
    const row = mapRow(
      ['Ana', '1e5', 'east', '19x0', Array.from({ length: 25 }, (_, i) => `+9715011122${i}`).join(';')],
      l,
    );
    assert.deepEqual(
      row.errors.map((e) => [e.code, e.field]),
      [
        ['import.number_invalid', 'birth_year'],
        ['person.too_many_items', 'phone'],
        ['import.number_invalid', 'lat'],
        ['import.number_invalid', 'lon'],
      ],
    );
  });

  test('holds the household reference and employer name apart, with placeholder ids for the checks', () => {
    const l = layout(['given_names', 'household_ref', 'employer']);
    const row = mapRow(['Ana', 'HH-1', 'Acme Ltd'], l);
    assert.equal(row.householdRef, 'HH-1');
    assert.equal(row.employerName, 'Acme Ltd');
    assert.equal(row.input.householdId, PLACEHOLDER_ID);
    assert.equal(row.input.employerId, PLACEHOLDER_ID);
    const long = mapRow(['Ana', 'H'.repeat(101), ''], l);
    assert.deepEqual(
      long.errors.map((e) => [e.code, e.field]),
      [['person.field_too_long', 'household_ref']],
    );
    assert.equal(long.householdRef, null);
  });
});

test('columnOfField names the CSV column of a registry field path', () => {
  assert.equal(columnOfField('phones[2]'), 'phone');
  assert.equal(columnOfField('location.lat'), 'lat');
  assert.equal(columnOfField('givenNames'), 'given_names');
  assert.equal(columnOfField('documentStatus'), 'document_status');
});
