import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRandom, weightedSampler } from './random.ts';

const draw = (seed: number, stream = 0, n = 50) => {
  const r = createRandom(seed, stream);
  return Array.from({ length: n }, () => r.next());
};

test('the same seed gives the same sequence; other seeds and streams differ', () => {
  assert.deepEqual(draw(1), draw(1));
  assert.notDeepEqual(draw(1), draw(2));
  assert.notDeepEqual(draw(1, 0), draw(1, 1));
  for (const x of draw(7, 0, 10_000)) assert.ok(x >= 0 && x < 1);
});

test('integers stay in range and cover it', () => {
  const r = createRandom(3);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const n = r.int(-2, 4);
    assert.ok(Number.isInteger(n) && n >= -2 && n <= 4);
    seen.add(n);
  }
  assert.equal(seen.size, 7);
  assert.match(r.digits(12), /^\d{12}$/);
});

test('gaussian deviates have mean 0 and standard deviation 1', () => {
  const r = createRandom(11);
  const xs = Array.from({ length: 20_000 }, () => r.gaussian());
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
  assert.ok(Math.abs(mean) < 0.05, `mean ${mean}`);
  assert.ok(Math.abs(sd - 1) < 0.05, `sd ${sd}`);
});

test('the weighted sampler draws in proportion to the weights and never a zero weight', () => {
  const sample = weightedSampler(['a', 'b', 'c', 'never'], (x) => ({ a: 1, b: 3, c: 6, never: 0 })[x] ?? 0);
  const r = createRandom(5);
  const counts: Record<string, number> = {};
  for (let i = 0; i < 20_000; i++) {
    const x = sample(r);
    counts[x] = (counts[x] ?? 0) + 1;
  }
  assert.equal(counts.never, undefined);
  assert.ok(Math.abs((counts.a ?? 0) / 20_000 - 0.1) < 0.01);
  assert.ok(Math.abs((counts.c ?? 0) / 20_000 - 0.6) < 0.015);
  assert.throws(() => weightedSampler([], () => 1));
});
