import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clockOffset, formatDuration, slaClock } from './sla-clock.ts';

const due = '2026-03-01T12:15:00.000Z';
const at = (iso: string) => Date.parse(iso);

describe('slaClock', () => {
  test('counts whole seconds down to the deadline, then up past it', () => {
    assert.deepEqual(slaClock({ dueAt: due, actedAt: null }, at('2026-03-01T12:00:00.000Z')), {
      kind: 'running',
      seconds: 900,
    });
    assert.deepEqual(slaClock({ dueAt: due, actedAt: null }, at('2026-03-01T12:14:59.500Z')), {
      kind: 'running',
      seconds: 0,
    });
    assert.deepEqual(slaClock({ dueAt: due, actedAt: null }, at('2026-03-01T12:15:00.200Z')), {
      kind: 'overdue',
      seconds: 1,
    });
  });

  test('stops once someone acted: met in time, or late', () => {
    assert.deepEqual(slaClock({ dueAt: due, actedAt: '2026-03-01T12:10:00Z' }, at('2026-03-02T00:00:00Z')), {
      kind: 'met',
    });
    assert.deepEqual(slaClock({ dueAt: due, actedAt: '2026-03-01T12:20:00Z' }, at('2026-03-01T12:21:00Z')), {
      kind: 'late',
    });
  });

  test('corrects for a browser clock that runs ahead of the server', () => {
    const offset = clockOffset('2026-03-01T12:00:00.000Z', at('2026-03-01T12:05:00.000Z'));
    assert.equal(offset, 300_000);
    assert.deepEqual(slaClock({ dueAt: due, actedAt: null }, at('2026-03-01T12:05:00.000Z'), offset), {
      kind: 'running',
      seconds: 900,
    });
  });
});

describe('formatDuration', () => {
  test('m:ss under an hour, h:mm:ss above', () => {
    assert.equal(formatDuration(65, 'en'), '1:05');
    assert.equal(formatDuration(3600 * 23 + 61, 'en'), '23:01:01');
    assert.equal(formatDuration(-5, 'en'), '0:00');
  });
});
