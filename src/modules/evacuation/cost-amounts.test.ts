import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatThousandths, parseAmountThousandths } from './cost-amounts.ts';

test('amounts parse to exact thousandths and format back', () => {
  assert.equal(parseAmountThousandths('125.5'), 125_500);
  assert.equal(parseAmountThousandths('0.125'), 125);
  assert.equal(parseAmountThousandths('3000'), 3_000_000);
  assert.equal(formatThousandths(125_500), '125.50');
  assert.equal(formatThousandths(125), '0.125');
  assert.equal(formatThousandths(3_000_000), '3000.00');
  // 0.1 + 0.2 in floating point is not 0.3; in thousandths it is.
  const sum = parseAmountThousandths('0.1')! + parseAmountThousandths('0.2')!;
  assert.equal(formatThousandths(sum), '0.30');
});

test('negative, malformed and over-precise amounts are refused', () => {
  for (const bad of ['-1', '1.2345', '01', '1e3', '', '.5', '1.', 'NaN', '1234567890123'])
    assert.equal(parseAmountThousandths(bad), null, bad);
});
