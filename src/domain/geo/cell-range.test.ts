import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cellToChildren, cellToParent, getPentagons, gridDisk, latLngToCell } from 'h3-js';
import { cellKey, cellOf, cellRangeOf, isInRanges, keyCell, mergeRanges } from './cell-range.ts';
import { seededRandom } from './shape-fixtures.ts';

const randomCells = (count: number, seed: number): string[] => {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    cellOf(Math.asin(2 * random() - 1) * (180 / Math.PI), 360 * random() - 180),
  );
};

describe('cellOf', () => {
  test('gives the 15-character resolution-9 cell, latitude first', () => {
    const cell = cellOf(32.8872, 13.1913);
    assert.equal(cell, latLngToCell(32.8872, 13.1913, 9));
    assert.match(cell, /^89[0-9a-f]{13}$/);
  });
});

describe('cellRangeOf', () => {
  test('a resolution-9 cell is its own range', () => {
    const cell = cellOf(-17.7, 178.4);
    assert.deepEqual(cellRangeOf(cell), { lo: cell, hi: cell });
  });

  test('holds every resolution-9 descendant and no resolution-9 cell of the neighbours', () => {
    for (const parent of [latLngToCell(34.0, 35.6, 6), latLngToCell(-33.9, 151.2, 5), getPentagons(6)[3]!]) {
      const range = cellRangeOf(parent);
      const children = cellToChildren(parent, 9).sort();
      assert.equal(children[0], range.lo);
      assert.equal(children[children.length - 1], range.hi);
      for (const neighbour of gridDisk(parent, 1)) {
        if (neighbour === parent) continue;
        for (const cell of cellToChildren(neighbour, 9)) {
          assert.ok(cell < range.lo || cell > range.hi, 'a neighbour descendant fell inside the range');
        }
      }
    }
  });

  test('refuses cells finer than resolution 9', () => {
    assert.throws(() => cellRangeOf(latLngToCell(0, 0, 10)), RangeError);
  });
});

describe('cell keys', () => {
  test('round-trip and keep the order of the cell strings', () => {
    const cells = randomCells(2000, 7).sort();
    let previous = -1;
    for (const cell of cells) {
      assert.equal(keyCell(cellKey(cell)), cell);
      assert.ok(cellKey(cell) >= previous);
      previous = cellKey(cell);
    }
  });
});

describe('mergeRanges', () => {
  test('joins the seven children of a cell into the parent range', () => {
    const parent = latLngToCell(14.6, 121.0, 8);
    const pieces = cellToChildren(parent, 9)
      .reverse()
      .map((cell) => cellRangeOf(cell));
    assert.deepEqual(mergeRanges(pieces), [cellRangeOf(parent)]);
  });

  test('joins consecutive siblings across a carry and keeps gaps apart', () => {
    const parent = latLngToCell(14.6, 121.0, 7);
    const children = cellToChildren(parent, 8).sort();
    const [c0, c1, c2, c3] = children.map((cell) => cellRangeOf(cell));
    assert.deepEqual(mergeRanges([c3!, c0!, c1!]), [{ lo: c0!.lo, hi: c1!.hi }, c3!]);
    assert.deepEqual(mergeRanges([c0!, c2!]), [c0!, c2!]);
  });

  test('joins the last descendant of one base cell with the first of the next', () => {
    const first = cellRangeOf('8009fffffffffff');
    const second = cellRangeOf('800bfffffffffff');
    assert.deepEqual(mergeRanges([second, first]), [{ lo: first.lo, hi: second.hi }]);
  });

  test('joins overlapping and nested ranges', () => {
    const fine = latLngToCell(48.85, 2.35, 8);
    const outer = cellRangeOf(cellToParent(fine, 6));
    const inner = cellRangeOf(fine);
    assert.deepEqual(mergeRanges([inner, outer, inner]), [outer]);
  });
});

describe('isInRanges', () => {
  test('agrees with a linear scan', () => {
    const random = seededRandom(3);
    const ranges = mergeRanges(
      randomCells(300, 11).map((cell) => cellRangeOf(cellToParent(cell, Math.floor(random() * 10)))),
    );
    const probes = [...randomCells(3000, 12), ...ranges.flatMap((r) => [r.lo, r.hi])];
    for (const cell of probes) {
      assert.equal(
        isInRanges(cell, ranges),
        ranges.some((r) => r.lo <= cell && cell <= r.hi),
      );
    }
  });
});
