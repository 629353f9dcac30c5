// Benchmark of reply ingest over HTTP (issue 6, item 7).
//
//   node --import tsx bench/replies.ts [--people 20000] [--duration 10] [--connections 50]
//                                      [--rate 5000] [--rate-duration 20] [--pg postgres://…] [--no-sqlite]
//
// Seeds N synthetic people and an issued alert to all of them into a fresh SQLite file and, with --pg or
// HAVEN_BENCH_PG_URL, a fresh PostgreSQL schema, and signs one reply link per person. Haven's app runs in
// a child process on loopback, as `haven start --role web` would; autocannon drives POST /r/<token>
// (answer=safe, a different person's token each request) from this process. Figures:
//   - throughput beside a bare node:http handler (a child process too, answering the same bytes)
//     measured in the same run, just before (goal: at least 0.5 of it);
//   - p99 latency at a fixed 5,000 replies per second (goal on PostgreSQL: at most 50 ms);
//   - every acknowledged (200) reply is in the table afterwards.
// The load average is printed: the figures are only as quiet as the machine.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { type DatabaseConfig, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { EncryptionPlugin } from '../src/db/encryption-plugin.ts';
import { loadDataCipher } from '../src/db/keys.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { openAppDatabase } from '../src/db/open.ts';
import { signReplyToken } from '../src/domain/delivery/reply-token.ts';
import { seedAuthor, seedIssuedAlert, seedPeople } from '../src/modules/delivery/delivery.test-kit.ts';
import { renderReplyThanks } from '../src/modules/responses/reply-page.ts';

const GOALS = { ratio: 0.5, p99Ms: 50 } as const;
const SELF = fileURLToPath(import.meta.url);

const { values: args } = parseArgs({
  options: {
    people: { type: 'string', default: '20000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rate: { type: 'string', default: '5000' },
    'rate-duration': { type: 'string', default: '20' },
    pg: { type: 'string' },
    'no-sqlite': { type: 'boolean', default: false },
    // Internal: run as the server child process.
    serve: { type: 'string' },
    schema: { type: 'string' },
  },
});

const say = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// ---------------------------------------------------------------------------------------------------
// The server child: `--serve bare` or `--serve haven` (database from the environment and --schema).

async function serve(mode: string): Promise<void> {
  let close: () => Promise<void>;
  let port: number;
  if (mode === 'bare') {
    // The ceiling: read the body, answer the same page Haven answers, nothing else.
    const page = renderReplyThanks({ lang: 'en', action: '/r/x', answer: 'safe' });
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

type Child = { port: number; process: ChildProcess; stop: () => Promise<void> };

function startChild(
  mode: 'bare' | 'haven',
  env: Record<string, string>,
  extra: string[] = [],
): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--serve', mode, ...extra], {
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
        setupRequest: (request) => {
          const token = tokens[next++ % tokens.length]!;
          return { ...request, path: `/r/${token}` };
        },
      },
    ],
  });
}

const perSecond = (r: autocannon.Result) => r['2xx'] / r.duration;

async function main(): Promise<void> {
  const people = Number(args.people!.replace(/[_,]/g, ''));
  const duration = Number(args.duration);
  const rate = Number(args.rate);
  const rateDuration = Number(args['rate-duration']);
  const pgUrl = args.pg ?? process.env.HAVEN_BENCH_PG_URL;
  if (
    ![people, duration, rate, rateDuration, Number(args.connections)].every(
      (n) => Number.isInteger(n) && n > 0,
    )
  ) {
    process.stderr.write(
      'usage: node --import tsx bench/replies.ts [--people N] [--duration S] [--connections N] [--rate N] [--rate-duration S] [--pg URL] [--no-sqlite]\n',
    );
    process.exit(2);
  }
  const masterKey = randomBytes(32);
  const replySecret = randomBytes(32);
  const env = {
    HAVEN_MASTER_KEY: masterKey.toString('base64'),
    HAVEN_REPLY_TOKEN_SECRET: replySecret.toString('base64'),
  };
  say(
    `replies: ${fmt(people)} people, ${args.connections} connections, ${duration} s per throughput run; ${cpus().length} cores, load average ${load()}`,
  );
  let ok = true;
  for (const dialect of ['sqlite', 'postgres'] as const) {
    if (dialect === 'sqlite' && args['no-sqlite']) continue;
    if (dialect === 'postgres' && !pgUrl) {
      say('\n(PostgreSQL skipped: pass --pg postgres://… or set HAVEN_BENCH_PG_URL)');
      continue;
    }
    ok =
      (await run(dialect, { people, duration, rate, rateDuration, pgUrl, env, masterKey, replySecret })) &&
      ok;
  }
  say(`\nload average after: ${load()}`);
  process.exit(ok ? 0 : 1);
}

async function run(
  dialect: 'sqlite' | 'postgres',
  p: {
    people: number;
    duration: number;
    rate: number;
    rateDuration: number;
    pgUrl: string | undefined;
    env: Record<string, string>;
    masterKey: Buffer;
    replySecret: Buffer;
  },
): Promise<boolean> {
  let config: DatabaseConfig;
  let cleanup: () => Promise<void>;
  const childEnv = { ...p.env };
  const extra: string[] = [];
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'haven-bench-replies-'));
    const file = join(dir, 'haven.sqlite');
    config = { kind: 'sqlite', file, url: `sqlite:${file}` };
    childEnv.DATABASE_URL = `sqlite:${file}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = `bench_replies_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: p.pgUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    config = { kind: 'postgres', url: p.pgUrl!, schema };
    childEnv.DATABASE_URL = p.pgUrl!;
    extra.push('--schema', schema);
    cleanup = async () => {
      const c = new pg.Client({ connectionString: p.pgUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    };
  }
  const raw = openDatabase(config, { poolSize: 4 });
  await migrateToLatest(raw.db as never);
  const cipher = await loadDataCipher(raw.db, { kind: 'env', value: p.masterKey });
  const db = raw.db.withPlugin(new EncryptionPlugin(cipher));
  const name = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  let passed = true;
  try {
    const author = await seedAuthor(db);
    const ids = await seedPeople(
      db,
      Array.from({ length: p.people }, (_, i) => ({
        contacts: [{ kind: 'phone' as const, value: `+9715${String(i).padStart(8, '0')}` }],
      })),
    );
    const alertId = await seedIssuedAlert(db, { author, recipients: ids });
    const expiresAt = new Date(Date.now() + 86_400_000);
    const tokens = ids.map((personId) => signReplyToken(p.replySecret, { alertId, personId, expiresAt }));
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
    say(`\n${name}: seeded ${fmt(p.people)} people and their alert`);

    // The ceiling, measured just before.
    const bare = await startChild('bare', {});
    await replies(bare.port, tokens, { duration: 2 });
    const ceiling = await replies(bare.port, tokens, { duration: p.duration });
    await bare.stop();
    say(`  bare node:http handler:      ${fmt(perSecond(ceiling)).padStart(7)} replies/s   (load ${load()})`);

    const haven = await startChild('haven', childEnv, extra);
    try {
      await replies(haven.port, tokens, { duration: 2 });
      await sleep(500);
      const before = await stored();
      const max = await replies(haven.port, tokens, { duration: p.duration });
      await sleep(500);
      const afterMax = await stored();
      const ratio = perSecond(max) / perSecond(ceiling);
      const ratioOk = ratio >= GOALS.ratio;
      say(
        `  Haven POST /r/<token>:       ${fmt(perSecond(max)).padStart(7)} replies/s = ${ratio.toFixed(2)} of bare (goal ≥ ${GOALS.ratio}) ${ratioOk ? 'PASS' : 'FAIL'}   p50 ${max.latency.p50} ms, p99 ${max.latency.p99} ms   (load ${load()})`,
      );
      const lostMax = max['2xx'] - (afterMax - before);
      say(
        `    acknowledged ${fmt(max['2xx'])}, stored ${fmt(afterMax - before)}: ${lostMax <= 0 ? 'none lost' : `${fmt(lostMax)} LOST`}; non-2xx ${max.non2xx}, errors ${max.errors}`,
      );

      const fixed = await replies(haven.port, tokens, {
        duration: p.rateDuration,
        overallRate: p.rate,
        connections: Math.max(100, Number(args.connections)),
      });
      await sleep(500);
      const afterFixed = await stored();
      const p99Ok = fixed.latency.p99 <= GOALS.p99Ms;
      const goal =
        dialect === 'postgres'
          ? ` (goal ≤ ${GOALS.p99Ms} ms) ${p99Ok ? 'PASS' : 'FAIL'}`
          : ' (goal on PostgreSQL only)';
      say(
        `  at ${fmt(p.rate)} replies/s for ${p.rateDuration} s: achieved ${fmt(perSecond(fixed))}/s, p50 ${fixed.latency.p50} ms, p99 ${fixed.latency.p99} ms${goal}   (load ${load()})`,
      );
      const lostFixed = fixed['2xx'] - (afterFixed - afterMax);
      say(
        `    acknowledged ${fmt(fixed['2xx'])}, stored ${fmt(afterFixed - afterMax)}: ${lostFixed <= 0 ? 'none lost' : `${fmt(lostFixed)} LOST`}; non-2xx ${fixed.non2xx}, errors ${fixed.errors}`,
      );
      passed = ratioOk && lostMax <= 0 && lostFixed <= 0 && (dialect === 'sqlite' || p99Ok);
    } finally {
      await haven.stop();
    }
  } finally {
    await db.destroy();
    await cleanup();
  }
  return passed;
}

if (args.serve) {
  await serve(args.serve);
} else {
  await main();
}
