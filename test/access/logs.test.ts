import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openTestDatabase } from '../helpers/database.ts';

test('request logs carry no personal data: no names, phones or search terms', async () => {
  const database = await openTestDatabase();
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  const config = { ...loadConfig({ LOG_LEVEL: 'trace' }), database: database.config };
  const app = await buildApp({ config, database, logStream: stream });
  try {
    await app.inject({
      method: 'POST',
      url: '/api/persons/search',
      payload: { name: 'Zainab Secretname', phone: '+971501234567' },
    });
    await app.inject({ url: '/api/persons?name=Zainab%20Secretname&phone=%2B971501234567' });
    await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'zainab.secret@example.org', password: 'hunter2hunter2' },
    });
    await app.inject({
      method: 'POST',
      url: '/api/persons',
      payload: { givenNames: 'Zainab Secretname', phones: [{ value: 'not-a-phone-Secretname' }] },
    });
    const log = lines.join('');
    assert.ok(log.includes('/api/persons/search'), 'requests are logged');
    for (const secret of ['Secretname', '971501234567', 'zainab.secret', 'hunter2'])
      assert.equal(log.includes(secret), false, secret);
  } finally {
    await app.close();
    await database.drop();
  }
});
