import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  CsvEncodingError,
  type CsvItem,
  CsvReader,
  type CsvReaderOptions,
  detectDelimiter,
} from './imports.csv.ts';

/** Feeds `bytes` to a reader in pieces of the given sizes (cycling), then ends it. */
function read(
  bytes: Buffer | string,
  options: CsvReaderOptions = {},
  pieces: number[] = [bytes.length || 1],
): CsvItem[] {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const reader = new CsvReader(options);
  const out: CsvItem[] = [];
  let at = 0;
  for (let i = 0; at < buf.length; i++) {
    const size = Math.max(1, pieces[i % pieces.length]!);
    reader.push(buf.subarray(at, at + size), out);
    at += size;
  }
  reader.end(out);
  return out;
}

const records = (items: CsvItem[]) =>
  items.map((i) => (i.kind === 'record' ? [i.line, ...i.fields] : [i.line, i.code]));

const quote = (field: string) =>
  /[",;\t\r\n]/.test(field) || field === '' ? `"${field.replaceAll('"', '""')}"` : field;

describe('CsvReader', () => {
  test('reads fields, quoted delimiters, doubled quotes and line breaks inside quotes, with the line each record starts on', () => {
    const text = 'a,b,c\n1,"x, y","say ""hi"""\n2,"two\nlines",z\n3,,\n';
    assert.deepEqual(records(read(text)), [
      [1, 'a', 'b', 'c'],
      [2, '1', 'x, y', 'say "hi"'],
      [3, '2', 'two\nlines', 'z'],
      [5, '3', '', ''],
    ]);
  });

  test('drops a UTF-8 byte order mark and reads CRLF and lone CR line endings', () => {
    assert.deepEqual(records(read('\ufeffa,b\r\n1,2\r\n3,4\r5,6')), [
      [1, 'a', 'b'],
      [2, '1', '2'],
      [3, '3', '4'],
      [4, '5', '6'],
    ]);
  });

  test('skips empty lines but counts them in line numbers', () => {
    assert.deepEqual(records(read('a,b\n\n1,2\n\r\n3,4\n\n')), [
      [1, 'a', 'b'],
      [3, '1', '2'],
      [5, '3', '4'],
    ]);
  });

  test('keeps a quote inside an unquoted field as an ordinary character', () => {
    assert.deepEqual(records(read('a,b\nO"Neil,5" tall\n')), [
      [1, 'a', 'b'],
      [2, 'O"Neil', '5" tall'],
    ]);
  });

  test('rejects a record with text after a closing quote, and reads the next line as a record', () => {
    assert.deepEqual(records(read('a,b\n"x"y,1\n2,3\n')), [
      [1, 'a', 'b'],
      [2, 'import.malformed_row'],
      [3, '2', '3'],
    ]);
  });

  test('an opening quote never closed rejects its record only; reading resumes on the next line', () => {
    assert.deepEqual(records(read('a,b\n1,2\n"open,3\n4,5\n6,7\n')), [
      [1, 'a', 'b'],
      [2, '1', '2'],
      [3, 'import.malformed_row'],
      [4, '4', '5'],
      [5, '6', '7'],
    ]);
  });

  test('an unclosed quote that meets a later quote does not swallow the rows between', () => {
    const text = 'a,b,c\n1,"open,x\n2,y,z\n3,"q",w\n';
    assert.deepEqual(records(read(text)), [
      [1, 'a', 'b', 'c'],
      [2, 'import.malformed_row'],
      [3, '2', 'y', 'z'],
      [4, '3', 'q', 'w'],
    ]);
  });

  test('a record longer than the limit is rejected as too large, quoted or not, and the next line is read', () => {
    const big = 'x'.repeat(300);
    const options = { maxRecordBytes: 100 };
    assert.deepEqual(records(read(`a,b\n${big},1\n2,3\n`, options, [7])), [
      [1, 'a', 'b'],
      [2, 'import.row_too_large'],
      [3, '2', '3'],
    ]);
    assert.deepEqual(records(read(`a,b\n"${big}\n2,3\n`, options, [7])), [
      [1, 'a', 'b'],
      [2, 'import.malformed_row'],
      [3, '2', '3'],
    ]);
  });

  test('reads fields that are not UTF-8 as Windows-1252, and flags their record', () => {
    const bytes = Buffer.concat([
      Buffer.from('a,b\n'),
      Buffer.from([0x4a, 0x6f, 0x73, 0xe9]),
      Buffer.from(',Pe'),
      Buffer.from([0xf1, 0x61, 0x0a]),
      Buffer.from('Ana,Peña\n'),
    ]);
    const items = read(bytes);
    assert.deepEqual(records(items), [
      [1, 'a', 'b'],
      [2, 'José', 'Peña'],
      [3, 'Ana', 'Peña'],
    ]);
    assert.deepEqual(
      items.map((i) => i.kind === 'record' && i.windows1252),
      [false, true, false],
    );
  });

  test('refuses UTF-16 files', () => {
    assert.throws(() => read(Buffer.from('\ufeffa,b\n', 'utf16le')), CsvEncodingError);
  });

  test('detects the delimiter from the header line, or uses the one given', () => {
    assert.equal(detectDelimiter('a;b;c'), ';');
    assert.equal(detectDelimiter('a\tb\tc,d'), '\t');
    assert.equal(detectDelimiter('"a;b",c'), ',');
    assert.equal(detectDelimiter('given_names'), ',');
    assert.deepEqual(records(read('a;b\n1,5;2\n')), [
      [1, 'a', 'b'],
      [2, '1,5', '2'],
    ]);
    assert.deepEqual(records(read('a;b\n1,5;2\n', { delimiter: ',' })), [
      [1, 'a;b'],
      [2, '1', '5;2'],
    ]);
  });

  test('reads back any table written with RFC 4180 quoting, however the bytes are split', () => {
    const field = fc.string({
      unit: fc.constantFrom('a', 'é', '😊', 'ف', ',', ';', '"', '\n', '\r\n', ' ', 'x'),
      maxLength: 8,
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.tuple(
            fc.array(fc.array(field, { minLength: width, maxLength: width }), {
              minLength: 1,
              maxLength: 6,
            }),
            fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
          ),
        ),
        ([rows, pieces]) => {
          const header = rows[0]!.map((_, i) => `c${i}`);
          // Rows whose fields are all empty read as blank lines; they are not records.
          const kept = rows.filter((r) => !(r.length === 1 && r[0] === ''));
          const text = `${[header, ...rows].map((r) => r.map(quote).join(',')).join('\r\n')}\n`;
          const got = read(text, { delimiter: ',' }, pieces);
          assert.ok(got.every((i) => i.kind === 'record'));
          assert.deepEqual(
            got.map((i) => (i.kind === 'record' ? i.fields : [])),
            [header, ...kept],
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
