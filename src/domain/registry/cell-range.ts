import { getResolution } from 'h3-js';
import { H3_RESOLUTION } from './location.ts';

/**
 * The inclusive range of resolution-9 cells under an H3 cell of resolution ≤ 9. Descendants share
 * their ancestor's leading digits, so they form one contiguous run of the stored hex strings: set the
 * resolution field to 9 and the finer digits to 0 (low end) or 6 (high end).
 */
export function cellRange(cell: string): { lo: string; hi: string } {
  const res = getResolution(cell);
  let value = BigInt(`0x${cell}`);
  value = (value & ~(0xfn << 52n)) | (BigInt(H3_RESOLUTION) << 52n);
  let lo = value;
  let hi = value;
  for (let r = res + 1; r <= H3_RESOLUTION; r++) {
    const shift = BigInt((15 - r) * 3);
    lo &= ~(0x7n << shift);
    hi = (hi & ~(0x7n << shift)) | (0x6n << shift);
  }
  return { lo: lo.toString(16).padStart(15, '0'), hi: hi.toString(16).padStart(15, '0') };
}
