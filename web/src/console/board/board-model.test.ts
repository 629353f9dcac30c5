import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { percentOf, timelineBars, timelineTotals } from './board-model.ts';

describe('timelineBars', () => {
  test('stacks need help on safe, the tallest stack filling the height', () => {
    const { bars, max } = timelineBars(
      [
        { at: 'a', safe: 6, needHelp: 2 },
        { at: 'b', safe: 2, needHelp: 0 },
      ],
      { width: 100, height: 80 },
    );
    assert.equal(max, 8);
    assert.equal(bars[0]?.safe.height, 60);
    assert.equal(bars[0]?.safe.y, 20);
    assert.equal(bars[0]?.needHelp.height, 20);
    assert.equal(bars[0]?.needHelp.y, 0);
    assert.equal(bars[1]?.safe.height, 20);
    assert.ok((bars[1]?.x ?? 0) >= 50, 'the second bar sits in the second half');
  });

  test('hidden counts draw as nothing, and an empty timeline is flat', () => {
    const { bars } = timelineBars([{ at: 'a', safe: null, needHelp: 0 }], { width: 10, height: 10 });
    assert.equal(bars[0]?.safe.height, 0);
    assert.equal(bars[0]?.safe.value, null);
    assert.deepEqual(timelineBars([], { width: 10, height: 10 }).bars, []);
  });
});

describe('shares and totals', () => {
  test('sum the visible counts and give whole percentages', () => {
    assert.deepEqual(
      timelineTotals([
        { at: 'a', safe: 3, needHelp: null },
        { at: 'b', safe: 2, needHelp: 1 },
      ]),
      { safe: 5, needHelp: 1 },
    );
    assert.equal(percentOf(1, 3), 33);
    assert.equal(percentOf(null, 3), null);
    assert.equal(percentOf(1, 0), null);
  });
});
