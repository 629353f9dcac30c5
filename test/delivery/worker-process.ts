// Worker processes for the fault tests: `node bin/haven.js start --role worker`, exactly as an operator
// runs them, pointed at the test's database and its loopback protocol peers through the environment.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DatabaseConfig } from '../../src/config.ts';
import { testMasterKey } from '../helpers/database.ts';

const HAVEN = fileURLToPath(new URL('../../bin/haven.js', import.meta.url));

export type WorkerProcess = {
  readonly child: ChildProcess;
  /** Resolves once the worker runs (and handles SIGTERM); rejects if it exits first. */
  readonly ready: Promise<void>;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  readonly output: () => string;
};

/** DATABASE_URL for a child process reaching the same database (a PostgreSQL schema goes in `options`). */
export function databaseUrlOf(config: DatabaseConfig): string {
  if (config.kind === 'sqlite') return config.url;
  if (!config.schema) return config.url;
  const url = new URL(config.url);
  url.searchParams.set('options', `-c search_path=${config.schema}`);
  return url.toString();
}

/** Starts one worker process with the test database, the test master key and the given variables. */
export function spawnWorker(database: DatabaseConfig, env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [HAVEN, 'start', '--role', 'worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrlOf(database),
      HAVEN_MASTER_KEY: testMasterKey.value.toString('base64'),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/Haven delivery worker \S+ is running/.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    void exited.then((code) => reject(new Error(`worker exited (${code}) before it started:\n${output}`)));
  });
  ready.catch(() => {});
  return { child, ready, exited, output: () => output };
}
