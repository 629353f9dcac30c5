import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults work on a laptop: port 8080, SQLite under ./data', () => {
  const c = loadConfig({}, '/srv/haven');
  assert.equal(c.port, 8080);
  assert.equal(c.dataDir, '/srv/haven/data');
  assert.deepEqual(c.database, {
    kind: 'sqlite',
    file: '/srv/haven/data/haven.sqlite',
    url: 'sqlite:/srv/haven/data/haven.sqlite',
  });
  assert.equal(c.logLevel, 'info');
});

test('a postgres:// URL selects PostgreSQL', () => {
  const c = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' });
  assert.equal(c.database.kind, 'postgres');
});

test('bad values throw ConfigError naming the variable', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty' }),
    (e: Error) => e instanceof ConfigError && /PORT/.test(e.message),
  );
  assert.throws(() => loadConfig({ PORT: '70000' }), ConfigError);
  assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
});

test('the CLI prints one line and exits with 2 on bad configuration', () => {
  const r = spawnSync(process.execPath, ['bin/haven.js', 'migrate'], {
    env: { ...process.env, PORT: 'x' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /^haven: invalid configuration: PORT/);
});
