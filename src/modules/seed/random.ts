/**
 * A seeded pseudo-random source (sfc32, seeded through splitmix32): the same seed gives the same
 * sequence on every machine, which is what makes the demo population reproducible. Not for secrets.
 */
export type Random = {
  /** A float in [0, 1). */
  next: () => number;
  /** An integer in [min, max], both included. */
  int: (min: number, max: number) => number;
  /** True with probability p. */
  chance: (p: number) => boolean;
  /** One item of a non-empty list, uniformly. */
  pick: <T>(items: readonly T[]) => T;
  /** A standard normal deviate (Box–Muller). */
  gaussian: () => number;
  /** A string of `length` decimal digits. */
  digits: (length: number) => string;
};

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A random source for a seed; `stream` gives independent sequences from one seed (people, employers, ...). */
export function createRandom(seed: number, stream = 0): Random {
  const init = splitmix32((seed >>> 0) ^ Math.imul(stream + 1, 0x27d4eb2d));
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // warm-up, as sfc32's authors recommend
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    gaussian: () => {
      const u = 1 - next(); // (0, 1]: log(0) is not a number
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    digits: (length) => {
      let s = '';
      for (let i = 0; i < length; i++) s += Math.floor(next() * 10);
      return s;
    },
  };
  return random;
}

/** A sampler that draws items in proportion to their weights, by binary search over cumulative weights. */
export function weightedSampler<T>(
  items: readonly T[],
  weightOf: (item: T) => number,
): (random: Random) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) {
    total += Math.max(0, weightOf(item));
    cumulative.push(total);
  }
  if (items.length === 0 || total <= 0) throw new Error('weightedSampler needs at least one positive weight');
  return (random) => {
    const x = random.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}
