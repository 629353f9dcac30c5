import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  formatCapDateTime,
  isCapDateTime,
  normalizeImportedCapDateTime,
  parseCapDateTime,
} from './cap-datetime.ts';

describe('formatCapDateTime', () => {
  const instant = new Date('2026-11-27T03:00:00.789Z');

  test('writes UTC as +00:00, never Z, and drops milliseconds', () => {
    assert.equal(formatCapDateTime(instant), '2026-11-27T03:00:00+00:00');
  });

  test('writes the wall-clock time of the given offset', () => {
    assert.equal(formatCapDateTime(instant, 180), '2026-11-27T06:00:00+03:00');
    assert.equal(formatCapDateTime(instant, 345), '2026-11-27T08:45:00+05:45');
    assert.equal(formatCapDateTime(instant, -210), '2026-11-26T23:30:00-03:30');
  });

  test('refuses invalid dates and offsets', () => {
    assert.throws(() => formatCapDateTime(new Date('nonsense')), { code: 'cap.bad_date' });
    assert.throws(() => formatCapDateTime(instant, 900), { code: 'cap.bad_date' });
    assert.throws(() => formatCapDateTime(instant, 90.5), { code: 'cap.bad_date' });
  });

  test('round-trips through parseCapDateTime for any instant and offset', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-02T00:00:00Z'),
          max: new Date('9999-12-30T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -840, max: 840 }),
        (date, offset) => {
          const text = formatCapDateTime(date, offset);
          const parsed = parseCapDateTime(text);
          assert.equal(parsed.date.getTime(), Math.floor(date.getTime() / 1000) * 1000);
          assert.equal(parsed.offsetMinutes, offset);
        },
      ),
    );
  });
});

describe('parseCapDateTime', () => {
  test('reads the instant and the offset', () => {
    const { date, offsetMinutes } = parseCapDateTime('2011-10-05T23:04:00+10:00');
    assert.equal(date.toISOString(), '2011-10-05T13:04:00.000Z');
    assert.equal(offsetMinutes, 600);
    assert.equal(parseCapDateTime('2012-05-02T23:21:04-00:00').offsetMinutes, 0);
  });

  test('reads years below 100 as themselves', () => {
    assert.equal(parseCapDateTime('0099-01-01T00:00:00+00:00').date.getUTCFullYear(), 99);
  });

  test('refuses Z, missing offsets, fractions and impossible dates', () => {
    for (const value of [
      '2026-11-27T03:00:00Z',
      '2026-11-27T03:00:00',
      '2026-11-27T03:00:00.5+00:00',
      '2026-11-27 03:00:00+00:00',
      '2026-02-29T00:00:00+00:00',
      '2026-04-31T00:00:00+00:00',
      '2026-00-10T00:00:00+00:00',
      '2026-11-27T23:60:00+00:00',
      '2026-11-27T03:00:00+14:01',
      '2026-11-27T03:00:00+05:75',
      '0000-01-01T00:00:00+00:00',
    ]) {
      assert.throws(() => parseCapDateTime(value, 'sent'), { code: 'cap.bad_date', field: 'sent' }, value);
      assert.equal(isCapDateTime(value), false, value);
    }
  });

  test('knows leap years', () => {
    assert.ok(isCapDateTime('2024-02-29T00:00:00+00:00'));
    assert.ok(isCapDateTime('2000-02-29T00:00:00+00:00'));
    assert.equal(isCapDateTime('1900-02-29T00:00:00+00:00'), false);
  });
});

describe('normalizeImportedCapDateTime', () => {
  test('keeps strict values as they are, offset included', () => {
    assert.equal(normalizeImportedCapDateTime('2012-05-02T23:21:04-00:00'), '2012-05-02T23:21:04-00:00');
  });

  test("rewrites 'Z' and drops fractions of a second", () => {
    assert.equal(normalizeImportedCapDateTime('2026-11-27T03:00:00Z'), '2026-11-27T03:00:00+00:00');
    assert.equal(normalizeImportedCapDateTime('2026-11-27T03:00:00.999+01:00'), '2026-11-27T03:00:00+01:00');
  });

  test('still refuses impossible or ambiguous values', () => {
    assert.throws(() => normalizeImportedCapDateTime('2026-11-27T03:00:00'), { code: 'cap.bad_date' });
    assert.throws(() => normalizeImportedCapDateTime('2026-13-01T00:00:00Z'), { code: 'cap.bad_date' });
  });
});
