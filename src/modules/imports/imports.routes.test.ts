import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/import/${name}`, import.meta.url));

let t: TestApp;
before(async () => {
  // A small general body limit, to show that CSV uploads get their own, 64 times larger.
  t = await buildTestApp({ HAVEN_BODY_LIMIT: '1024' });
});
after(async () => {
  await t?.close();
});

const upload = (payload: Buffer | string, extra: { url?: string; headers?: Record<string, string> } = {}) =>
  t.app.inject({
    method: 'POST',
    url: extra.url ?? '/api/imports',
    headers: { 'content-type': 'text/csv', ...extra.headers },
    payload,
  });

describe('imports API', () => {
  test('POST /api/imports imports a CSV body and answers with the summary; GET reads it back', async () => {
    const res = await upload(fixture('persons-valid.csv'));
    assert.equal(res.statusCode, 201, res.body);
    const summary = res.json();
    assert.deepEqual(
      [
        summary.status,
        summary.source,
        summary.rowsRead,
        summary.created,
        summary.updated,
        summary.rejected,
        summary.error,
      ],
      ['done', 'api', 8, 8, 0, 0, null],
    );
    assert.equal(res.headers.location, `/api/imports/${summary.id}`);

    const got = await t.app.inject(`/api/imports/${summary.id}`);
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.json(), { ...summary, warnings: [] });

    const again = await upload(fixture('persons-valid.csv'));
    assert.deepEqual([again.json().created, again.json().unchanged], [0, 8]);
  });

  test('accepts a CSV larger than the general body limit, up to 64 times it', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `Z-${i},Name ${i},Synthetic,AE`).join('\n');
    const csv = `external_ref,given_names,family_name,country\n${rows}\n`;
    assert.ok(csv.length > 1024 * 8);
    const ok = await upload(csv);
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().created, 400);

    const tooLarge = await upload(`given_names\n${'x\n'.repeat(33 * 1024)}`);
    assert.equal(tooLarge.statusCode, 413);
    assert.equal(tooLarge.json().code, 'request.too_large');
    // The general limit still holds everywhere else.
    const person = await t.app.inject({
      method: 'POST',
      url: '/api/persons',
      payload: { givenNames: 'x'.repeat(2000) },
    });
    assert.equal(person.statusCode, 413);
  });

  test('GET /api/imports/:id/rejections pages through the rejected rows in file order', async () => {
    const res = await upload(fixture('persons-bad.csv'));
    assert.equal(res.statusCode, 201);
    const id = res.json().id;
    const lines: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: {
        statusCode: number;
        body: string;
        json: () => { items: { line: number }[]; nextCursor: string | null };
      } = await t.app.inject(`/api/imports/${id}/rejections?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(page.statusCode, 200, page.body);
      const body = page.json();
      for (const r of body.items) lines.push(r.line);
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 4);
    assert.deepEqual(lines, [3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19]);
    const first = (await t.app.inject(`/api/imports/${id}/rejections?limit=1`)).json().items[0];
    assert.deepEqual(first, {
      line: 3,
      code: 'person.phone_invalid',
      field: 'phone',
      message: 'phone: not a valid phone number',
    });
  });

  test('a problem with the file is answered 422 with its code and the import id; the failed import can be read', async () => {
    const res = await upload('family_name,phone\nCruz,+971501112233\n');
    assert.equal(res.statusCode, 422);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    const problem = res.json();
    assert.equal(problem.code, 'import.missing_column');
    assert.deepEqual(problem.columns, ['given_names']);
    const got = (await t.app.inject(`/api/imports/${problem.importId}`)).json();
    assert.deepEqual([got.status, got.error.code, got.rowsRead], ['failed', 'import.missing_column', 0]);

    const unknown = await upload('given_names,notes\nAna,x\n');
    assert.equal(unknown.json().code, 'import.unknown_column');
    const ignored = await upload('given_names,notes\nAna,x\n', {
      url: '/api/imports?ignoreUnknownColumns=true',
    });
    assert.equal(ignored.statusCode, 201);
    assert.deepEqual(ignored.json().warnings, ['ignored columns: notes']);

    const semicolon = await upload('given_names;family_name\nAna;Cruz,Reyes\n', {
      url: '/api/imports?delimiter=comma',
    });
    assert.equal(semicolon.json().code, 'import.unknown_column');
  });

  test('answers other content types, unknown imports and bad cursors with coded problems', async () => {
    const json = await t.app.inject({ method: 'POST', url: '/api/imports', payload: { givenNames: 'Ana' } });
    assert.equal(json.statusCode, 415);
    assert.equal(json.json().code, 'request.unsupported_media_type');
    const missing = await t.app.inject('/api/imports/01900000-0000-7000-8000-000000000000');
    assert.deepEqual([missing.statusCode, missing.json().code], [404, 'import.not_found']);
    const id = (await upload('given_names\nAna\n')).json().id;
    const cursor = await t.app.inject(`/api/imports/${id}/rejections?cursor=bm9wZQ`);
    assert.deepEqual([cursor.statusCode, cursor.json().code], [400, 'request.bad_cursor']);
  });

  test('a consular officer imports only people of the post jurisdiction; roles without imports are refused', async () => {
    const csv = 'external_ref,given_names,country\nK-1,Ana,AE\nK-2,Ben,HK\n';
    const res = await upload(csv, { headers: t.as('consular_officer') });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual([res.json().created, res.json().rejected], [1, 1]);
    const rejected = (await t.app.inject(`/api/imports/${res.json().id}/rejections`)).json().items;
    assert.deepEqual(
      rejected.map((r: { line: number; code: string }) => [r.line, r.code]),
      [[3, 'access.outside_jurisdiction']],
    );

    const refused = await upload(csv, { headers: t.as('employer_liaison') });
    assert.deepEqual([refused.statusCode, refused.json().code], [403, 'access.forbidden']);
    const anonymous = await t.anonymous({
      method: 'POST',
      url: '/api/imports',
      headers: { 'content-type': 'text/csv' },
      payload: csv,
    });
    assert.equal(anonymous.statusCode, 401);
  });

  test('each import is written to the audit log with its counts, without personal data', async () => {
    const id = (await upload('external_ref,given_names\nA-9,Auditable Name\n')).json().id;
    const entries = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'imports.run')
      .execute();
    const entry = entries.find((e) => JSON.parse(e.details).importId === id);
    assert.ok(entry);
    assert.equal(entry.outcome, 'done');
    assert.deepEqual(JSON.parse(entry.details), {
      created: 1,
      importId: id,
      rejected: 0,
      status: 'done',
      updated: 0,
    });
    assert.ok(!JSON.stringify(entry).includes('Auditable'));
  });

  test('the OpenAPI document describes the three routes and the CSV body', async () => {
    const doc = (await t.app.inject('/api/docs/json')).json();
    assert.ok(doc.paths['/api/imports'].post.requestBody.content['text/csv']);
    assert.ok(doc.paths['/api/imports'].post.responses['201']);
    assert.ok(doc.paths['/api/imports/{id}'].get.responses['200']);
    assert.ok(doc.paths['/api/imports/{id}/rejections'].get.responses['200']);
  });
});
