import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { finished } from 'node:stream/promises';
import { type Command, InvalidArgumentError } from 'commander';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CsvDelimiter } from '../../modules/imports/imports.csv.ts';
import {
  DEFAULT_BATCH_SIZE,
  type ImportProgress,
  type ImportRejection,
  type ImportSummary,
  importPersons,
  iterateImportRejections,
  listImportRejections,
  MAX_BATCH_SIZE,
} from '../../modules/imports/imports.service.ts';
import { configOrExit } from '../main.ts';
import { openAppDatabaseOrExit } from '../open-failure.ts';

const fmt = (n: number) => n.toLocaleString('en-US');
const DELIMITERS: Record<string, CsvDelimiter> = {
  comma: ',',
  ',': ',',
  semicolon: ';',
  ';': ';',
  tab: '\t',
};
/** Rejections printed after the summary; the rest go to --report. */
const SHOWN_REJECTIONS = 10;

type Options = { report?: string; batchSize: number; delimiter?: string; ignoreUnknownColumns?: boolean };

function batchSize(raw: string): number {
  const text = raw.replace(/[_,]/g, '');
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_BATCH_SIZE) {
    throw new InvalidArgumentError(`--batch-size must be an integer from 1 to ${fmt(MAX_BATCH_SIZE)}`);
  }
  return n;
}

function delimiter(raw: string): string {
  if (!DELIMITERS[raw.toLowerCase()])
    throw new InvalidArgumentError('--delimiter must be comma, semicolon or tab');
  return raw.toLowerCase();
}

/** One line of progress: share of the file read, rows, rejections and speed. */
export function formatProgress(p: ImportProgress, totalBytes: number, seconds: number, barWidth = 0): string {
  const share = totalBytes > 0 ? Math.min(1, p.bytesRead / totalBytes) : 1;
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  const bar = barWidth > 0 ? ` [${'#'.repeat(Math.round(share * barWidth)).padEnd(barWidth, '-')}]` : '';
  const rate = seconds > 0 ? Math.round(p.rowsRead / seconds) : 0;
  return `importing${bar} ${percent}  ${fmt(p.rowsRead)} rows, ${fmt(p.rejected)} rejected, ${fmt(rate)} rows/s`;
}

/**
 * Shows progress on stderr: a bar redrawn in place on a terminal (at most ten times a second), or a
 * plain line every few seconds when stderr is a file or a pipe (logs, CI).
 */
function progressReporter(totalBytes: number, started: number) {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let drawn = false;
  return {
    update(p: ImportProgress) {
      const now = performance.now();
      if (now - last < (tty ? 100 : 5000)) return;
      last = now;
      const seconds = (now - started) / 1000;
      if (tty) {
        const width = Math.max(10, Math.min(40, (process.stderr.columns ?? 80) - 70));
        process.stderr.write(`\r\x1b[2K${formatProgress(p, totalBytes, seconds, width)}`);
        drawn = true;
      } else {
        process.stderr.write(`${formatProgress(p, totalBytes, seconds)}\n`);
      }
    },
    done() {
      if (drawn) process.stderr.write('\r\x1b[2K');
    },
  };
}

const csvCell = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Writes every rejection of an import as CSV (line, code, field, message); returns how many. */
export async function writeRejectionReport(db: Kysely<DB>, importId: string, file: string): Promise<number> {
  const out = createWriteStream(file);
  let count = 0;
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  try {
    await write('line,code,field,message\n');
    for await (const r of iterateImportRejections(db, importId)) {
      await write(`${[r.line, r.code, r.field, r.message].map(csvCell).join(',')}\n`);
      count++;
    }
  } finally {
    out.end();
    await finished(out);
  }
  return count;
}

function printSummary(s: ImportSummary, seconds: number, first: ImportRejection[]): void {
  const rate = seconds > 0 ? Math.round(s.rowsRead / seconds) : 0;
  const lines = [
    `import ${s.id} ${s.status === 'done' ? 'done' : 'FAILED'} in ${seconds.toFixed(1)} s (${fmt(rate)} rows/s)`,
    `  rows read  ${fmt(s.rowsRead).padStart(12)}`,
    `  created    ${fmt(s.created).padStart(12)}`,
    `  updated    ${fmt(s.updated).padStart(12)}`,
    `  unchanged  ${fmt(s.unchanged).padStart(12)}`,
    `  rejected   ${fmt(s.rejected).padStart(12)}`,
  ];
  if (first.length) {
    lines.push(s.rejected > first.length ? `first ${first.length} rejected rows:` : 'rejected rows:');
    for (const r of first)
      lines.push(`  line ${String(r.line).padEnd(9)} ${r.code.padEnd(32)} ${r.field ?? '-'}`);
    if (s.rejected > first.length)
      lines.push(`  … ${fmt(s.rejected - first.length)} more (write them all with --report FILE.csv)`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function runImport(file: string, opts: Options): Promise<number> {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    process.stderr.write(`haven: cannot read ${file}: no such file\n`);
    return 2;
  }
  const config = configOrExit();
  const database = await openAppDatabaseOrExit(config);
  const started = performance.now();
  const progress = progressReporter(size, started);
  try {
    const summary = await importPersons(database.db, createReadStream(file), {
      source: 'cli',
      filename: basename(file),
      batchSize: opts.batchSize,
      delimiter: opts.delimiter ? DELIMITERS[opts.delimiter] : undefined,
      ignoreUnknownColumns: opts.ignoreUnknownColumns === true,
      onProgress: (p) => progress.update(p),
    });
    progress.done();
    const seconds = (performance.now() - started) / 1000;
    const first = summary.rejected
      ? (await listImportRejections(database.db, summary.id, { limit: SHOWN_REJECTIONS })).items
      : [];
    printSummary(summary, seconds, first);
    for (const w of summary.warnings) process.stderr.write(`warning: ${w}\n`);
    if (opts.report) {
      const written = await writeRejectionReport(database.db, summary.id, opts.report);
      process.stdout.write(`report: ${fmt(written)} rejected rows written to ${opts.report}\n`);
    }
    if (summary.error) {
      const where = summary.error.line ? ` (line ${summary.error.line})` : '';
      process.stderr.write(
        `haven: import failed: ${summary.error.message}${where} [${summary.error.code}]\n`,
      );
      return 1;
    }
    return 0;
  } catch (err) {
    progress.done();
    process.stderr.write(`haven: import failed: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await database.destroy();
  }
}

export function registerImportCommand(program: Command): void {
  const command = program.command('import').description('Import data into the registry');
  command
    .command('persons')
    .description(
      'Import persons from a CSV file (columns and rules: docs/import.md). Rows are checked one by one and committed in batches; ' +
        'rows that match a stored person (external_ref, or phone and name) update it, so running the same file again duplicates nobody. ' +
        'Exit code 0 when the import ran (even with rejected rows), 1 when it failed, 2 for bad usage.',
    )
    .argument('<file>', 'the CSV file (UTF-8; Windows-1252 is detected field by field)')
    .option('--report <file>', 'write every rejected row (line, code, field, message) to this CSV file')
    .option('--batch-size <n>', 'rows per transaction', batchSize, DEFAULT_BATCH_SIZE)
    .option(
      '--delimiter <name>',
      'comma, semicolon or tab (default: detected from the header line)',
      delimiter,
    )
    .option('--ignore-unknown-columns', 'ignore columns Haven does not know instead of refusing the file')
    .action(async (file: string, opts: Options) => {
      process.exitCode = await runImport(file, opts);
    });
}
