import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { KeyError } from '../db/keys.ts';
import { openAppDatabase } from '../db/open.ts';

/** Error codes of a database that cannot be reached at all (pg's connect, DNS). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** Error codes of a database file that cannot be opened or created (better-sqlite3, the data folder). */
const UNOPENABLE = new Set([
  'SQLITE_CANTOPEN',
  'SQLITE_NOTADB',
  'SQLITE_READONLY',
  'EACCES',
  'EROFS',
  'ENOTDIR',
]);

/** The error's own words; a connection to a name with several addresses fails with an empty AggregateError. */
function messageOf(err: unknown): string {
  if (err instanceof AggregateError && !err.message) {
    return err.errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * A failure to open the application database, told in one line with a stable code, and the exit code
 * that goes with it: 2 for what the operator must set (the master key), 1 for a database that is not
 * there. Undefined when the error is none of these; the caller then reports it as it is.
 */
export function openFailure(err: unknown): { line: string; exitCode: number } | undefined {
  if (err instanceof KeyError)
    return { line: `cannot open the data key: ${err.message} [${err.code}]`, exitCode: 2 };
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const told = (what: string, stable: string) => ({
    line: `${what}: ${messageOf(err)} [${stable}]`,
    exitCode: 1,
  });
  if (UNREACHABLE.has(code)) return told('cannot reach the database', 'database.unreachable');
  if (code === '28P01' || code === '28000')
    return told('the database refused the login', 'database.login_refused');
  if (code === '3D000') return told('the database does not exist', 'database.missing');
  if (UNOPENABLE.has(code)) return told('cannot open the database file', 'database.cannot_open');
  return undefined;
}

/** Ends a CLI command that failed: one line on stderr, coded when the cause is known, and its exit code. */
export function reportCommandFailure(err: unknown): void {
  const failure = openFailure(err);
  process.stderr.write(`haven: ${failure?.line ?? messageOf(err)}\n`);
  process.exitCode = failure?.exitCode ?? 1;
}

/** Opens the app database for a CLI command, or says why it cannot in one line and exits. */
export async function openAppDatabaseOrExit(config: Config): Promise<Database> {
  try {
    return await openAppDatabase(config);
  } catch (err) {
    const failure = openFailure(err);
    process.stderr.write(`haven: ${failure?.line ?? `cannot open the database: ${messageOf(err)}`}\n`);
    process.exit(failure?.exitCode ?? 1);
  }
}
