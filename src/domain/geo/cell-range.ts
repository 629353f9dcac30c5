import { getBaseCellNumber, getPentagons, getResolution, latLngToCell, type SplitLong } from 'h3-js';

/** The fixed H3 resolution of every stored location cell. */
export const LOCATION_RESOLUTION = 9;

/**
 * An inclusive range of resolution-9 cells as stored: 15-character lowercase hex strings, whose string
 * order (byte order, COLLATE "C" on PostgreSQL) equals the numeric order of the 64-bit H3 index.
 */
export interface CellRange {
  readonly lo: string;
  readonly hi: string;
}

/** The resolution-9 H3 cell of a point, as stored in a person's `h3_cell`. Note the order: latitude first. */
export function cellOf(lat: number, lon: number): string {
  return latLngToCell(lat, lon, LOCATION_RESOLUTION);
}

// Below: the representation the covering works in, exported for it and for the tests.
// Internally a resolution-9 index is handled as its "key": the index shifted right by 18 bits. The low
// 18 bits of every resolution-9 cell are fixed (digits 10..15 are 7), and the remaining 46 bits fit a
// double exactly, so keys compare, sort and step as plain numbers. Digit d (1..9) sits at key bit 3·(9-d),
// the base cell at key bit 27, the resolution at key bit 34.

const KEY_LOW_BITS = 2 ** 18;
const FIXED_LOW_BITS = KEY_LOW_BITS - 1;
const BASE_CELL_UNIT = 2 ** 27;

/** The key of a 15-character resolution-9 cell string. */
export function cellKey(cell: string): number {
  return Math.floor(Number.parseInt(cell.slice(0, 11), 16) / 4);
}

/** The 15-character cell string of a key. */
export function keyCell(key: number): string {
  const high = Math.floor(key / 2 ** 14);
  const low = ((key % 2 ** 14) * KEY_LOW_BITS + FIXED_LOW_BITS) >>> 0;
  return high.toString(16).padStart(7, '0') + low.toString(16).padStart(8, '0');
}

/** The key of the next well-formed resolution-9 index: digits 1..9 count in base 7, then the base cell. */
function nextKey(key: number): number {
  let unit = 1;
  let k = key;
  for (let d = 0; d < 9; d++) {
    const digit = Math.floor(k / unit) % 8;
    if (digit < 6) return k + unit;
    k -= digit * unit;
    unit *= 8;
  }
  return k + BASE_CELL_UNIT;
}

/**
 * An H3 cell as h3-js's split long, [low 32 bits, high 32 bits]: cheaper to pass to h3-js than a string,
 * and its digits can be set with plain integer arithmetic.
 */
export type SplitCell = SplitLong;

/** Resolution field: bits 52..55, i.e. bits 20..23 of the high word. */
export const splitResolution = (cell: SplitCell): number => (cell[1] >>> 20) & 0xf;

function splitDigit(cell: SplitCell, d: number): number {
  const at = 3 * (15 - d);
  if (at >= 32) return (cell[1] >>> (at - 32)) & 7;
  if (at <= 29) return (cell[0] >>> at) & 7;
  return ((cell[0] >>> 30) & 3) | ((cell[1] & 1) << 2);
}

function withDigit(cell: SplitCell, d: number, value: number): SplitCell {
  const at = 3 * (15 - d);
  let [low, high] = cell;
  if (at >= 32) high = (high & ~(7 << (at - 32))) | (value << (at - 32));
  else if (at <= 29) low = (low & ~(7 << at)) | (value << at);
  else {
    low = (low & 0x3fffffff) | ((value & 3) << 30);
    high = (high & ~1) | (value >> 2);
  }
  return [low >>> 0, high >>> 0];
}

const withResolution = (cell: SplitCell, res: number): SplitCell => [
  cell[0],
  ((cell[1] & ~(0xf << 20)) | (res << 20)) >>> 0,
];

const PENTAGON_BASE_CELLS = new Set(getPentagons(0).map((cell) => getBaseCellNumber(cell)));

function isPentagonCell(cell: SplitCell): boolean {
  if (!PENTAGON_BASE_CELLS.has((cell[1] >>> 13) & 0x7f)) return false;
  const res = splitResolution(cell);
  for (let d = 1; d <= res; d++) if (splitDigit(cell, d) !== 0) return false;
  return true;
}

/** The children of a cell one resolution finer (six for a pentagon, whose digit-1 child does not exist). */
export function splitChildren(cell: SplitCell): SplitCell[] {
  const res = splitResolution(cell) + 1;
  const base = withResolution(cell, res);
  const skipOne = isPentagonCell(cell);
  const children: SplitCell[] = [];
  for (let digit = 0; digit <= 6; digit++) {
    if (digit === 1 && skipOne) continue;
    children.push(withDigit(base, res, digit));
  }
  return children;
}

const splitKey = (cell: SplitCell): number => cell[1] * 2 ** 14 + Math.floor(cell[0] / KEY_LOW_BITS);

/** The keys of the first and last resolution-9 descendants of a cell of resolution ≤ 9. */
export function splitKeyRange(cell: SplitCell): [number, number] {
  const res = splitResolution(cell);
  let lo = withResolution(cell, LOCATION_RESOLUTION);
  let hi = lo;
  for (let d = res + 1; d <= LOCATION_RESOLUTION; d++) {
    lo = withDigit(lo, d, 0);
    hi = withDigit(hi, d, 6);
  }
  return [splitKey(lo), splitKey(hi)];
}

/**
 * Sorts key ranges (flat pairs lo, hi) and joins those that overlap or are adjacent, i.e. with no
 * well-formed resolution-9 index between them; returns flat pairs.
 */
export function mergeKeyRanges(pairs: readonly number[]): number[] {
  const order = Array.from({ length: pairs.length / 2 }, (_, i) => i);
  order.sort((a, b) => pairs[2 * a]! - pairs[2 * b]!);
  const merged: number[] = [];
  let lo = -1;
  let hi = -1;
  let after = -1;
  for (const i of order) {
    const rangeLo = pairs[2 * i]!;
    const rangeHi = pairs[2 * i + 1]!;
    if (lo >= 0 && (rangeLo <= hi || rangeLo === after)) {
      if (rangeHi > hi) {
        hi = rangeHi;
        after = nextKey(hi);
      }
      continue;
    }
    if (lo >= 0) merged.push(lo, hi);
    lo = rangeLo;
    hi = rangeHi;
    after = nextKey(hi);
  }
  if (lo >= 0) merged.push(lo, hi);
  return merged;
}

/** Flat key pairs to cell ranges. */
export function keyPairsToRanges(pairs: readonly number[]): CellRange[] {
  const ranges: CellRange[] = [];
  for (let i = 0; i < pairs.length; i += 2)
    ranges.push({ lo: keyCell(pairs[i]!), hi: keyCell(pairs[i + 1]!) });
  return ranges;
}

/**
 * The range of the resolution-9 descendants of a cell of resolution ≤ 9 (the cell itself at 9). They share
 * the cell's leading digits, so they are exactly the resolution-9 cells between the cell with the finer
 * digits set to 0 and the one with them set to 6; no other resolution-9 cell lies in between.
 */
export function cellRangeOf(cell: string): CellRange {
  const res = getResolution(cell);
  if (res < 0 || res > LOCATION_RESOLUTION) {
    throw new RangeError(`cell resolution must be 0..${LOCATION_RESOLUTION}`);
  }
  const [lo, hi] = splitKeyRange(splitOf(cell));
  return { lo: keyCell(lo), hi: keyCell(hi) };
}

/** A hex cell string as a split long. */
export function splitOf(cell: string): SplitCell {
  const padded = cell.padStart(16, '0');
  return [Number.parseInt(padded.slice(8), 16), Number.parseInt(padded.slice(0, 8), 16)];
}

/**
 * Sorts ranges and joins those that overlap or are adjacent (no resolution-9 cell between them). The
 * result is sorted by `lo` and disjoint, as {@link isInRanges} expects.
 */
export function mergeRanges(ranges: readonly CellRange[]): CellRange[] {
  const pairs: number[] = [];
  for (const range of ranges) pairs.push(cellKey(range.lo), cellKey(range.hi));
  return keyPairsToRanges(mergeKeyRanges(pairs));
}

/** Whether a resolution-9 cell lies in sorted, disjoint ranges (binary search). */
export function isInRanges(cell: string, ranges: readonly CellRange[]): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const range = ranges[mid]!;
    if (cell < range.lo) high = mid - 1;
    else if (cell > range.hi) low = mid + 1;
    else return true;
  }
  return false;
}
