import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GroupCommitWriter, WriterClosedError } from './group-commit.ts';

// The writer's batching rules, over a plain in-memory store; the durable path on a real database is
// tested in reply-writer.test.ts.

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GroupCommitWriter', () => {
  test('items arriving together share one batch; each caller gets its own result', async () => {
    const batches: number[][] = [];
    const writer = new GroupCommitWriter<number, number>(
      async (items) => {
        batches.push([...items]);
        return items.map((n) => n * 10);
      },
      { maxBatch: 100, maxWaitMs: 5, maxInFlight: 1 },
    );
    const results = await Promise.all([1, 2, 3, 4].map((n) => writer.submit(n)));
    assert.deepEqual(results, [10, 20, 30, 40]);
    assert.deepEqual(batches, [[1, 2, 3, 4]]);
  });

  test('a full batch goes at once; while one is written the next fills, and goes when it is done', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const firstWritten = new Promise<void>((resolve) => {
      release = resolve;
    });
    const writer = new GroupCommitWriter<number, number>(
      async (items) => {
        batches.push([...items]);
        if (batches.length === 1) await firstWritten;
        return [...items];
      },
      { maxBatch: 3, maxWaitMs: 1000, maxInFlight: 1 },
    );
    const first = [1, 2, 3].map((n) => writer.submit(n));
    await tick();
    assert.deepEqual(batches, [[1, 2, 3]], 'full: written without waiting maxWaitMs');
    const second = [4, 5].map((n) => writer.submit(n));
    await tick(5);
    assert.equal(batches.length, 1, 'one batch in flight at a time');
    release();
    assert.deepEqual(await Promise.all([...first, ...second]), [1, 2, 3, 4, 5]);
    assert.deepEqual(batches, [
      [1, 2, 3],
      [4, 5],
    ]);
  });

  test('a failing batch rejects every caller in it, and only those', async () => {
    const writer = new GroupCommitWriter<number, number>(
      async (items) => {
        if (items.includes(13)) throw new Error('write failed');
        return [...items];
      },
      { maxBatch: 10, maxWaitMs: 2, maxInFlight: 1 },
    );
    const doomed = [11, 12, 13].map((n) => writer.submit(n));
    const outcomes = await Promise.allSettled(doomed);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['rejected', 'rejected', 'rejected'],
    );
    assert.equal(await writer.submit(14), 14, 'the next batch is written normally');
  });

  test('a write answering the wrong number of results fails its batch rather than misattributing them', async () => {
    const writer = new GroupCommitWriter<number, number>(async (items) => items.slice(1), {
      maxBatch: 10,
      maxWaitMs: 1,
      maxInFlight: 1,
    });
    await assert.rejects(Promise.all([writer.submit(1), writer.submit(2)]), /2 items/);
  });

  test('close() writes what is queued, waits for it, then refuses new items', async () => {
    const written: number[] = [];
    const writer = new GroupCommitWriter<number, number>(
      async (items) => {
        await tick(5);
        written.push(...items);
        return [...items];
      },
      { maxBatch: 2, maxWaitMs: 10_000, maxInFlight: 2 },
    );
    const pending = [1, 2, 3, 4, 5].map((n) => writer.submit(n));
    await writer.close();
    assert.deepEqual(written.sort(), [1, 2, 3, 4, 5]);
    assert.deepEqual(await Promise.all(pending), [1, 2, 3, 4, 5]);
    await assert.rejects(writer.submit(6), WriterClosedError);
  });

  test('several batches may be in flight on a database that takes concurrent writers', async () => {
    let inFlight = 0;
    let most = 0;
    const writer = new GroupCommitWriter<number, number>(
      async (items) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await tick(10);
        inFlight -= 1;
        return [...items];
      },
      { maxBatch: 5, maxWaitMs: 1, maxInFlight: 3 },
    );
    await Promise.all(Array.from({ length: 40 }, (_, i) => writer.submit(i)));
    assert.equal(most, 3);
    assert.ok(writer.stats().batches >= 8);
  });
});
