// Money as exact integers: amounts travel as decimal text ("125.50") and are stored in thousandths of
// the currency unit, which covers every ISO 4217 minor unit (0, 2 or 3 decimals) without rounding.

export const AMOUNT_PATTERN = '^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,3})?$';
const AMOUNT = new RegExp(AMOUNT_PATTERN);

/** "125.5" → 125500; null when the text is not a non-negative amount with at most three decimals. */
export function parseAmountThousandths(text: string): number | null {
  if (!AMOUNT.test(text)) return null;
  const [whole, fraction = ''] = text.split('.') as [string, string?];
  return Number(whole) * 1000 + Number(fraction.padEnd(3, '0'));
}

/** 125500 → "125.50": two decimals, three when the third is needed. */
export function formatThousandths(value: number): string {
  const whole = Math.floor(value / 1000);
  const fraction = String(value % 1000).padStart(3, '0');
  return `${whole}.${fraction.endsWith('0') ? fraction.slice(0, 2) : fraction}`;
}
