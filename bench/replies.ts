// Benchmark of reply ingest over HTTP (issue 6, item 7).
//
//   node --import tsx bench/replies.ts [--people 20000] [--duration 10] [--rounds 3] [--connections 100]
//                                      [--rate 5000] [--rate-duration 20] [--pg postgres://…] [--no-sqlite]
//                                      [--cpu-prof DIR]
//
// Seeds N synthetic people and an issued alert to all of them into a fresh SQLite file and, with --pg or
// HAVEN_BENCH_PG_URL, a fresh PostgreSQL schema, and signs one reply link per person. Haven's app runs
// in a child process on loopback, as `haven start --role web` would, and so does a bare node:http
// handler that reads the body and answers the same thanks page. autocannon, in this process, drives
// POST /r/<token> (answer=safe, another person's token each request). Figures:
//   - throughput of Haven beside the bare handler, measured in alternating runs (`--rounds` of each,
//     medians compared; goal: Haven at least 0.5 of it), with each server's CPU time per reply;
//   - p99 latency at a fixed 5,000 replies per second (goal on PostgreSQL: at most 50 ms);
//   - every acknowledged (200) reply is in the table afterwards.
// The machine's load average is printed beside each figure: they are only as quiet as the machine.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { type DatabaseConfig, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { EncryptionPlugin } from '../src/db/encryption-plugin.ts';
import { loadDataCipher } from '../src/db/keys.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { openAppDatabase } from '../src/db/open.ts';
import type { DB } from '../src/db/schema.ts';
import { signReplyToken } from '../src/domain/delivery/reply-token.ts';
import { seedAuthor, seedIssuedAlert, seedPeople } from '../src/modules/delivery/delivery.test-kit.ts';
import { renderReplyThanks } from '../src/modules/responses/reply-page.ts';

const GOALS = { ratio: 0.5, p99Ms: 50 } as const;
const SELF = fileURLToPath(import.meta.url);

const { values: args } = parseArgs({
  options: {
    people: { type: 'string', default: '20000' },
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '100' },
    rate: { type: 'string', default: '5000' },
    'rate-duration': { type: 'string', default: '20' },
    pg: { type: 'string' },
    'no-sqlite': { type: 'boolean', default: false },
    // Writes a V8 CPU profile of Haven's server process into this folder (open it in Chrome's DevTools).
    'cpu-prof': { type: 'string' },
    // Internal: run as a server child process.
    serve: { type: 'string' },
    schema: { type: 'string' },
  },
});

const say = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

// ---------------------------------------------------------------------------------------------------
// The server children: `--serve bare` or `--serve haven` (database from the environment and --schema).

async function serve(mode: string): Promise<void> {
  let close: () => Promise<void>;
  let port: number;
  if (mode === 'bare') {
    // The ceiling: read the body, answer the page Haven answers, nothing else.
    const page = renderReplyThanks({ lang: 'en', action: `/r/${'x'.repeat(66)}`, answer: 'safe' });
    const server = createServer((req, res) => {
      req.on('data', () => {});
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(page);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  } else {
    const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent', HAVEN_WEB_DIR: join(tmpdir(), 'no-web') });
    const database: DatabaseConfig =
      base.database.kind === 'postgres' && args.schema
        ? { ...base.database, schema: args.schema }
        : base.database;
    const config = { ...base, database };
    const db = await openAppDatabase(config, { migrate: false, poolSize: 10 });
    const app = await buildApp({ config, database: db });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
    close = async () => {
      await app.close();
      await db.destroy();
    };
  }
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.on('SIGTERM', () => {
    void close().then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------------------------------------------
// The benchmark.

type Child = {
  port: number;
  process: ChildProcess;
  cpuSeconds: () => number | null;
  stop: () => Promise<void>;
};

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User and system CPU seconds of a process so far (Linux /proc), or null where there is no /proc. */
function cpuSecondsOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

function startChild(
  mode: 'bare' | 'haven',
  env: Record<string, string>,
  extra: string[] = [],
): Promise<Child> {
  const profile =
    mode === 'haven' && args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', args['cpu-prof']] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', SELF, '--serve', mode, ...extra], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      const { port } = JSON.parse(line) as { port: number };
      resolve({
        port,
        process: child,
        cpuSeconds: () => cpuSecondsOf(child.pid!),
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

/** POST /r/<token> with answer=safe, each request another person's token. */
function replies(port: number, tokens: string[], options: Partial<autocannon.Options>) {
  let next = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: Number(args.connections),
    timeout: 10,
    ...options,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'answer=safe',
        setupRequest: (request) => ({ ...request, path: `/r/${tokens[next++ % tokens.length]!}` }),
      },
    ],
  });
}

type Measured = { perSecond: number; cpuMicros: number | null; result: autocannon.Result };

/** One run against a server: acknowledged replies per second, and the server's CPU time per reply. */
async function measure(
  child: Child,
  tokens: string[],
  options: Partial<autocannon.Options>,
): Promise<Measured> {
  const cpuBefore = child.cpuSeconds();
  const result = await replies(child.port, tokens, options);
  const cpuAfter = child.cpuSeconds();
  const cpuMicros =
    cpuBefore === null || cpuAfter === null || result['2xx'] === 0
      ? null
      : ((cpuAfter - cpuBefore) * 1e6) / result['2xx'];
  return { perSecond: result['2xx'] / result.duration, cpuMicros, result };
}

const micros = (m: number | null) => (m === null ? 'n/a' : `${Math.round(m)} µs`);

async function main(): Promise<void> {
  const people = Number(args.people!.replace(/[_,]/g, ''));
  const numbers = [
    people,
    args.duration,
    args.rounds,
    args.connections,
    args.rate,
    args['rate-duration'],
  ].map(Number);
  if (!numbers.every((n) => Number.isInteger(n) && n > 0)) {
    process.stderr.write(
      'usage: node --import tsx bench/replies.ts [--people N] [--duration S] [--rounds N] [--connections N] [--rate N] [--rate-duration S] [--pg URL] [--no-sqlite] [--cpu-prof DIR]\n',
    );
    process.exit(2);
  }
  const pgUrl = args.pg ?? process.env.HAVEN_BENCH_PG_URL;
  const masterKey = randomBytes(32);
  const replySecret = randomBytes(32);
  say(
    `replies: ${fmt(people)} people, ${args.connections} connections, ${args.rounds} × ${args.duration} s per server; ${cpus().length} cores, load average ${load()}`,
  );
  let ok = true;
  for (const dialect of ['sqlite', 'postgres'] as const) {
    if (dialect === 'sqlite' && args['no-sqlite']) continue;
    if (dialect === 'postgres' && !pgUrl) {
      say('\n(PostgreSQL skipped: pass --pg postgres://… or set HAVEN_BENCH_PG_URL)');
      continue;
    }
    ok = (await run(dialect, people, pgUrl, masterKey, replySecret)) && ok;
  }
  say(`\nload average after: ${load()}`);
  process.exit(ok ? 0 : 1);
}

async function prepare(
  dialect: 'sqlite' | 'postgres',
  pgUrl: string | undefined,
  masterKey: Buffer,
): Promise<{ db: Kysely<DB>; env: Record<string, string>; extra: string[]; cleanup: () => Promise<void> }> {
  let config: DatabaseConfig;
  let cleanup: () => Promise<void>;
  const env: Record<string, string> = {};
  const extra: string[] = [];
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'haven-bench-replies-'));
    const file = join(dir, 'haven.sqlite');
    config = { kind: 'sqlite', file, url: `sqlite:${file}` };
    env.DATABASE_URL = `sqlite:${file}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = `bench_replies_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    config = { kind: 'postgres', url: pgUrl!, schema };
    env.DATABASE_URL = pgUrl!;
    extra.push('--schema', schema);
    cleanup = async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    };
  }
  const raw = openDatabase(config, { poolSize: 4 });
  await migrateToLatest(raw.db as never);
  const cipher = await loadDataCipher(raw.db, { kind: 'env', value: masterKey });
  const db = raw.db.withPlugin(new EncryptionPlugin(cipher));
  return {
    db,
    env,
    extra,
    cleanup: async () => {
      await db.destroy();
      await cleanup();
    },
  };
}

async function run(
  dialect: 'sqlite' | 'postgres',
  people: number,
  pgUrl: string | undefined,
  masterKey: Buffer,
  replySecret: Buffer,
): Promise<boolean> {
  const name = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const duration = Number(args.duration);
  const rounds = Number(args.rounds);
  const rate = Number(args.rate);
  const { db, env, extra, cleanup } = await prepare(dialect, pgUrl, masterKey);
  const children: Child[] = [];
  try {
    const author = await seedAuthor(db);
    const ids = await seedPeople(
      db,
      Array.from({ length: people }, (_, i) => ({
        contacts: [{ kind: 'phone' as const, value: `+9715${String(i).padStart(8, '0')}` }],
      })),
    );
    const alertId = await seedIssuedAlert(db, { author, recipients: ids });
    const expiresAt = new Date(Date.now() + 86_400_000);
    const tokens = ids.map((personId) => signReplyToken(replySecret, { alertId, personId, expiresAt }));
    const stored = async () =>
      Number(
        (
          await db
            .selectFrom('responses')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('alert_id', '=', alertId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    say(`\n${name}: ${fmt(people)} people and their alert seeded`);

    const secrets = {
      HAVEN_MASTER_KEY: masterKey.toString('base64'),
      HAVEN_REPLY_TOKEN_SECRET: replySecret.toString('base64'),
    };
    const bare = await startChild('bare', {});
    children.push(bare);
    const haven = await startChild('haven', { ...secrets, ...env }, extra);
    children.push(haven);
    // Warm-up: each server's code is compiled and its caches filled before anything is measured.
    await replies(bare.port, tokens, { duration: 5 });
    await replies(haven.port, tokens, { duration: 5 });

    // Alternating runs, so that a change in the machine's load hits both servers alike.
    const bareRuns: Measured[] = [];
    const havenRuns: Measured[] = [];
    let acknowledged = 0;
    await sleep(500);
    const before = await stored();
    for (let round = 1; round <= rounds; round++) {
      const b = await measure(bare, tokens, { duration });
      const h = await measure(haven, tokens, { duration });
      bareRuns.push(b);
      havenRuns.push(h);
      acknowledged += h.result['2xx'];
      say(
        `  round ${round}: bare ${fmt(b.perSecond)}/s (${micros(b.cpuMicros)} CPU each), Haven ${fmt(h.perSecond)}/s (${micros(h.cpuMicros)} CPU each, p99 ${h.result.latency.p99} ms, non-2xx ${h.result.non2xx}, errors ${h.result.errors})   load ${load()}`,
      );
    }
    const bareRate = median(bareRuns.map((r) => r.perSecond));
    const havenRate = median(havenRuns.map((r) => r.perSecond));
    const ratio = havenRate / bareRate;
    const ratioOk = ratio >= GOALS.ratio;
    const cpu = (runs: Measured[]) =>
      runs.every((r) => r.cpuMicros !== null) ? median(runs.map((r) => r.cpuMicros!)) : null;
    const bareCpu = cpu(bareRuns);
    const havenCpu = cpu(havenRuns);
    say(
      `  bare node:http handler:  ${fmt(bareRate).padStart(6)} replies/s (median), ${micros(bareCpu)} CPU each`,
    );
    say(
      `  Haven POST /r/<token>:   ${fmt(havenRate).padStart(6)} replies/s (median) = ${ratio.toFixed(2)} of bare (goal ≥ ${GOALS.ratio}) ${ratioOk ? 'PASS' : 'FAIL'}, ${micros(havenCpu)} CPU each${bareCpu && havenCpu ? ` (${(bareCpu / havenCpu).toFixed(2)} of bare's cost)` : ''}`,
    );

    const fixed = await measure(haven, tokens, {
      duration: Number(args['rate-duration']),
      overallRate: rate,
    });
    acknowledged += fixed.result['2xx'];
    const p99Ok = fixed.result.latency.p99 <= GOALS.p99Ms;
    const goal =
      dialect === 'postgres'
        ? ` (goal ≤ ${GOALS.p99Ms} ms) ${p99Ok ? 'PASS' : 'FAIL'}`
        : ' (the goal is on PostgreSQL)';
    say(
      `  at ${fmt(rate)} replies/s for ${args['rate-duration']} s: ${fmt(fixed.perSecond)}/s answered, p50 ${fixed.result.latency.p50} ms, p99 ${fixed.result.latency.p99} ms${goal}; non-2xx ${fixed.result.non2xx}, errors ${fixed.result.errors}   load ${load()}`,
    );

    await sleep(1000);
    const written = (await stored()) - before;
    const lost = acknowledged - written;
    say(
      `  acknowledged ${fmt(acknowledged)} replies, ${fmt(written)} stored: ${lost <= 0 ? 'none lost' : `${fmt(lost)} LOST`} (stored may exceed acknowledged: answers in flight when a run stopped)`,
    );
    return ratioOk && lost <= 0 && (dialect === 'sqlite' || p99Ok);
  } finally {
    for (const child of children) await child.stop();
    await cleanup();
  }
}

if (args.serve) {
  await serve(args.serve);
} else {
  await main();
}
