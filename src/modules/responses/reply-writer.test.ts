import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { seedAuthor, seedIssuedAlert, seedPeople } from '../delivery/delivery.test-kit.ts';
import { GroupCommitWriter } from './group-commit.ts';
import { type LinkReply, type LinkReplyResult, writeLinkReplies } from './reply-writer.ts';
import type { Answer } from './responses.service.ts';

// The durable side of reply links: concurrent replies are written in shared transactions, every one is
// stored before its caller hears so, and a batch that fails stores nothing and tells all its callers.

let database: TestDatabase;
let alertId: string;
let people: string[];

before(async () => {
  database = await openTestDatabase();
  const author = await seedAuthor(database.db);
  people = await seedPeople(
    database.db,
    Array.from({ length: 120 }, (_, i) => ({
      contacts: [{ kind: 'phone' as const, value: `+97150200${String(i).padStart(4, '0')}` }],
    })),
  );
  alertId = await seedIssuedAlert(database.db, { author, recipients: people });
});
after(async () => {
  await database?.drop();
});

const stored = (ids: string[]) =>
  database.db.selectFrom('responses').select('id').where('id', 'in', ids).execute();

describe('writeLinkReplies through the group-commit writer', () => {
  test('100 concurrent replies are all stored, in far fewer transactions, each stored before it is acknowledged', async () => {
    const writer = new GroupCommitWriter<LinkReply, LinkReplyResult>(
      (items) => writeLinkReplies(database, items),
      {
        maxBatch: 25,
        maxWaitMs: 5,
        maxInFlight: database.dialect === 'sqlite' ? 1 : 3,
      },
    );
    const checks: Promise<void>[] = [];
    const replies = people.slice(0, 100).map((personId) =>
      writer.submit({ personId, alertId, answer: 'safe', receivedAt: new Date() }).then((result) => {
        assert.ok(result.ok);
        // Acknowledged: the row must already be there for anyone to read.
        checks.push(stored([result.responseId]).then((rows) => assert.equal(rows.length, 1)));
        return result;
      }),
    );
    const results = await Promise.all(replies);
    await Promise.all(checks);
    assert.equal(results.length, 100);
    const ids = results.map((r) => (r.ok ? r.responseId : ''));
    assert.equal((await stored(ids)).length, 100);
    const { batches } = writer.stats();
    assert.ok(batches <= 20, `${batches} transactions for 100 replies`);
    await writer.close();
  });

  test('a failing batch rejects every caller in it and stores none of it; the next batch is fine', async () => {
    const writer = new GroupCommitWriter<LinkReply, LinkReplyResult>(
      (items) => writeLinkReplies(database, items),
      {
        maxBatch: 50,
        maxWaitMs: 20,
        maxInFlight: 1,
      },
    );
    const before = await database.db.selectFrom('responses').select('id').execute();
    const batch = people
      .slice(100, 110)
      .map((personId) => writer.submit({ personId, alertId, answer: 'safe', receivedAt: new Date() }));
    // An answer the table refuses (NOT NULL): the database fails the whole transaction.
    batch.push(
      writer.submit({
        personId: people[110]!,
        alertId,
        answer: null as unknown as Answer,
        receivedAt: new Date(),
      }),
    );
    const outcomes = await Promise.allSettled(batch);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      Array(11).fill('rejected'),
    );
    const after = await database.db.selectFrom('responses').select('id').execute();
    assert.equal(after.length, before.length, 'nothing of the failed batch was stored');
    const next = await writer.submit({
      personId: people[111]!,
      alertId,
      answer: 'safe',
      receivedAt: new Date(),
    });
    assert.ok(next.ok);
    await writer.close();
  });

  test('a reply from a person erased since the link was sent is refused on its own, not with the batch', async () => {
    const [gone] = await seedPeople(database.db, [{ contacts: [] }]);
    await database.db.deleteFrom('persons').where('id', '=', gone!).execute();
    const results = await writeLinkReplies(database, [
      { personId: gone!, alertId, answer: 'safe', receivedAt: new Date() },
      { personId: people[112]!, alertId, answer: 'safe', receivedAt: new Date() },
    ]);
    assert.deepEqual(results[0], { ok: false, code: 'reply.not_found' });
    assert.equal(results[1]?.ok, true);
    assert.equal(results[1]?.ok && results[1].language, 'en');
  });
});
