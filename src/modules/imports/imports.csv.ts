import { isUtf8 } from 'node:buffer';

/** One data or header record, with the file line it starts on (1 = the first line of the file). */
export type CsvRecord = { kind: 'record'; line: number; fields: string[]; windows1252: boolean };

/** A record the reader could not split into fields; reading resumes on the line after its first line. */
export type CsvBadRecord = {
  kind: 'malformed';
  line: number;
  code: 'import.malformed_row' | 'import.row_too_large';
  message: string;
};

export type CsvItem = CsvRecord | CsvBadRecord;

export type CsvDelimiter = ',' | ';' | '\t';

export type CsvReaderOptions = {
  /** Field delimiter; detected from the header line when absent. */
  delimiter?: CsvDelimiter;
  /** Largest record, in bytes, before it is rejected as too large (or as an unclosed quote). */
  maxRecordBytes?: number;
};

/** A file the reader cannot decode at all (UTF-16 or UTF-32): a request-level problem. */
export class CsvEncodingError extends Error {
  override name = 'CsvEncodingError';
  readonly code = 'import.bad_encoding';
}

/** Records longer than this are rejected: a real person's row is a few kilobytes at most. */
export const MAX_RECORD_BYTES = 64 * 1024;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);
const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];
const windows1252 = new TextDecoder('windows-1252');

type Parsed =
  | { status: 'ok'; end: number; lines: number; fields: string[]; windows1252: boolean }
  | { status: 'incomplete'; inQuotes: boolean }
  | { status: 'malformed'; message: string };

const INCOMPLETE_PLAIN: Parsed = { status: 'incomplete', inQuotes: false };
const INCOMPLETE_QUOTED: Parsed = { status: 'incomplete', inQuotes: true };

/** Index of the first CR or LF at or after `from`, or -1. */
function findLineBreak(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length; i++) {
    const c = buf[i];
    if (c === LF || c === CR) return i;
  }
  return -1;
}

/** Line breaks (LF, CRLF or a lone CR) between two offsets. */
function countLineBreaks(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i];
    if (c === LF) n++;
    else if (c === CR && buf[i + 1] !== LF) n++;
  }
  return n;
}

function decodeField(buf: Buffer, s: number, e: number): { text: string; cp1252: boolean } {
  const slice = buf.subarray(s, e);
  if (isUtf8(slice)) return { text: slice.toString('utf8'), cp1252: false };
  return { text: windows1252.decode(slice), cp1252: true };
}

/**
 * Picks the delimiter of a header line: the most frequent of comma, semicolon and tab outside quotes
 * (comma on a tie or when there is none, as with a one-column file).
 */
export function detectDelimiter(headerLine: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch as CsvDelimiter))
      counts.set(ch as CsvDelimiter, counts.get(ch as CsvDelimiter)! + 1);
  }
  let best: CsvDelimiter = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/**
 * An incremental RFC 4180 reader over bytes, built for imports that must survive bad files:
 * - a UTF-8 byte order mark is dropped; UTF-16 and UTF-32 files are refused with CsvEncodingError;
 * - each field that is not valid UTF-8 is decoded as Windows-1252 (a superset of Latin-1), and its
 *   record says so, so files saved by older spreadsheet software keep their accents;
 * - records end at LF, CRLF or a lone CR; quoted fields may hold delimiters, quotes (doubled) and line breaks;
 * - a quote inside an unquoted field is kept as an ordinary character;
 * - a record that cannot be split (text after a closing quote, a quote never closed, or a record
 *   longer than `maxRecordBytes`) becomes one CsvBadRecord at the line it starts on, and reading
 *   resumes on the next line, so one broken quote never swallows the rest of the file.
 * Memory stays bounded by the chunk size plus one record.
 */
export class CsvReader {
  private buf: Buffer = EMPTY;
  private line = 1;
  private atStart = true;
  private skipping = false;
  private delimiterByte: number | undefined;
  private readonly maxRecordBytes: number;
  /** Bytes handed to the reader so far (before the byte order mark is dropped). */
  bytesRead = 0;

  constructor(options: CsvReaderOptions = {}) {
    this.maxRecordBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
    if (options.delimiter) this.delimiterByte = options.delimiter.charCodeAt(0);
  }

  /** The delimiter in use, once known (given, or detected from the header line). */
  get delimiter(): CsvDelimiter | undefined {
    return this.delimiterByte === undefined
      ? undefined
      : (String.fromCharCode(this.delimiterByte) as CsvDelimiter);
  }

  /** Feeds the next chunk of the file; complete records are appended to `out`. */
  push(chunk: Uint8Array, out: CsvItem[]): void {
    this.bytesRead += chunk.length;
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    this.buf = this.buf.length === 0 ? bytes : Buffer.concat([this.buf, bytes]);
    this.drain(false, out);
  }

  /** Signals the end of the file; the last record (with or without a final line break) is appended to `out`. */
  end(out: CsvItem[]): void {
    this.drain(true, out);
  }

  private drain(eof: boolean, out: CsvItem[]): void {
    if (this.atStart) {
      if (!this.checkStart(eof)) return;
    }
    if (this.delimiterByte === undefined) {
      const nl = findLineBreak(this.buf, 0);
      if (nl < 0 && !eof && this.buf.length <= this.maxRecordBytes) return;
      const header = this.buf.toString(
        'utf8',
        0,
        nl < 0 ? Math.min(this.buf.length, this.maxRecordBytes) : nl,
      );
      this.delimiterByte = detectDelimiter(header).charCodeAt(0);
    }
    const buf = this.buf;
    let pos = 0;
    while (pos < buf.length) {
      if (this.skipping) {
        const nl = findLineBreak(buf, pos);
        if (nl < 0) {
          pos = buf.length;
          break;
        }
        if (buf[nl] === CR && nl + 1 === buf.length && !eof) {
          pos = nl;
          break;
        }
        pos = buf[nl] === CR && buf[nl + 1] === LF ? nl + 2 : nl + 1;
        this.line++;
        this.skipping = false;
        continue;
      }
      const parsed = this.parseRecord(buf, pos, eof);
      if (parsed.status === 'ok') {
        const fields = parsed.fields;
        // A line with nothing on it is not a record.
        if (!(fields.length === 1 && fields[0] === '')) {
          out.push({ kind: 'record', line: this.line, fields, windows1252: parsed.windows1252 });
        }
        this.line += parsed.lines;
        pos = parsed.end;
        continue;
      }
      if (parsed.status === 'incomplete') {
        if (buf.length - pos <= this.maxRecordBytes) break;
        out.push({
          kind: 'malformed',
          line: this.line,
          code: parsed.inQuotes ? 'import.malformed_row' : 'import.row_too_large',
          message: parsed.inQuotes
            ? `a quoted field is not closed within ${this.maxRecordBytes} bytes`
            : `the row is longer than ${this.maxRecordBytes} bytes`,
        });
      } else {
        out.push({
          kind: 'malformed',
          line: this.line,
          code: 'import.malformed_row',
          message: parsed.message,
        });
      }
      pos = this.resync(buf, pos, eof);
    }
    this.buf = pos >= buf.length ? EMPTY : buf.subarray(pos);
  }

  /** After a bad record: the offset just past the first line break of that record, or skip mode. */
  private resync(buf: Buffer, start: number, eof: boolean): number {
    const nl = findLineBreak(buf, start);
    if (nl < 0 || (buf[nl] === CR && nl + 1 === buf.length && !eof)) {
      this.skipping = true;
      return nl < 0 ? buf.length : nl;
    }
    this.line++;
    return buf[nl] === CR && buf[nl + 1] === LF ? nl + 2 : nl + 1;
  }

  /** Drops a UTF-8 byte order mark and refuses UTF-16/32; false while too few bytes have arrived. */
  private checkStart(eof: boolean): boolean {
    const b = this.buf;
    if (b.length < 4 && !eof) return false;
    if (
      (b[0] === 0xff && b[1] === 0xfe) ||
      (b[0] === 0xfe && b[1] === 0xff) ||
      (b[0] === 0 && b[1] === 0 && b[2] === 0xfe)
    ) {
      throw new CsvEncodingError('The file is UTF-16 or UTF-32; save it as CSV in UTF-8');
    }
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) this.buf = b.subarray(3);
    this.atStart = false;
    return true;
  }

  private parseRecord(buf: Buffer, start: number, eof: boolean): Parsed {
    const delim = this.delimiterByte!;
    const n = buf.length;
    // Field spans as [start, end, hasDoubledQuotes] triples, decoded once the record is complete.
    const spans: number[] = [];
    let lines = 0;
    let p = start;
    for (;;) {
      if (p < n && buf[p] === QUOTE) {
        let q = p + 1;
        let doubled = 0;
        let close: number;
        for (;;) {
          const k = buf.indexOf(QUOTE, q);
          if (k < 0) {
            if (!eof) return INCOMPLETE_QUOTED;
            return { status: 'malformed', message: 'a quoted field is never closed' };
          }
          if (k + 1 >= n && !eof) return INCOMPLETE_QUOTED;
          if (buf[k + 1] === QUOTE) {
            doubled = 1;
            q = k + 2;
            continue;
          }
          close = k;
          break;
        }
        lines += countLineBreaks(buf, p + 1, close);
        spans.push(p + 1, close, doubled);
        p = close + 1;
        if (p >= n) return this.finish(buf, spans, n, lines, start);
        const c = buf[p];
        if (c === delim) {
          p++;
          continue;
        }
        if (c === LF || c === CR) return this.endAtLineBreak(buf, spans, p, lines, start, eof);
        return { status: 'malformed', message: 'a closing quote is followed by text instead of a delimiter' };
      }
      let k = p;
      while (k < n) {
        const c = buf[k];
        if (c === delim || c === LF || c === CR) break;
        k++;
      }
      spans.push(p, k, 0);
      if (k >= n) {
        if (!eof) return INCOMPLETE_PLAIN;
        return this.finish(buf, spans, n, lines, start);
      }
      if (buf[k] === delim) {
        p = k + 1;
        continue;
      }
      return this.endAtLineBreak(buf, spans, k, lines, start, eof);
    }
  }

  private endAtLineBreak(
    buf: Buffer,
    spans: number[],
    at: number,
    lines: number,
    start: number,
    eof: boolean,
  ): Parsed {
    if (buf[at] === CR) {
      // A CR at the end of the chunk may be the first half of a CRLF: wait for the next byte.
      if (at + 1 >= buf.length && !eof) return INCOMPLETE_PLAIN;
      return this.finish(buf, spans, buf[at + 1] === LF ? at + 2 : at + 1, lines + 1, start);
    }
    return this.finish(buf, spans, at + 1, lines + 1, start);
  }

  private finish(buf: Buffer, spans: number[], end: number, lines: number, start: number): Parsed {
    const fields: string[] = new Array(spans.length / 3);
    let cp1252 = false;
    // The common case, a record that is valid UTF-8 as a whole, is checked once rather than per field.
    const utf8 = isUtf8(buf.subarray(start, end));
    for (let i = 0, j = 0; i < spans.length; i += 3, j++) {
      let text: string;
      if (utf8) text = buf.toString('utf8', spans[i], spans[i + 1]);
      else {
        const decoded = decodeField(buf, spans[i]!, spans[i + 1]!);
        if (decoded.cp1252) cp1252 = true;
        text = decoded.text;
      }
      fields[j] = spans[i + 2] ? text.replaceAll('""', '"') : text;
    }
    return { status: 'ok', end, lines, fields, windows1252: cp1252 };
  }
}

/**
 * Reads CSV items from a byte stream (a file stream, a request body, or chunks in memory), yielding
 * them in groups as each chunk is parsed. `onReader` receives the reader, for its byte count and delimiter.
 */
export async function* readCsv(
  source: AsyncIterable<Uint8Array | string>,
  options: CsvReaderOptions = {},
  onReader?: (reader: CsvReader) => void,
): AsyncGenerator<CsvItem[]> {
  const reader = new CsvReader(options);
  onReader?.(reader);
  for await (const chunk of source) {
    const out: CsvItem[] = [];
    reader.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk, out);
    if (out.length) yield out;
  }
  const out: CsvItem[] = [];
  reader.end(out);
  if (out.length) yield out;
}
