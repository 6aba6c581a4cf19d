// Counter-based randomness: every value is a pure function of (column stream, row counter),
// so any row range can be generated on its own and output never depends on batch sizes or
// on the order in which tables are produced. All arithmetic is 32-bit integer math, which
// is exact and identical on every platform.

/** A 32-bit avalanche mixer (bijective), "lowbias32" constants. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  x ^= x >>> 15;
  return x >>> 0;
}

/** Seed of a column's stream, from its name, so adding a column never shifts another's values. */
export function streamSeed(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return mix32(h >>> 0);
}

/** Uniform 32-bit value number `k` of row `n` in stream `seed`. */
export function rand(seed: number, n: number, k = 0): number {
  return mix32((mix32((n ^ seed) >>> 0) ^ Math.imul(k + 1, 0x9e3779b9)) >>> 0);
}

/** Uniform integer in [lo, hi]; exact for ranges below 2^21 (every range TPC-H needs). */
export function uniform(seed: number, n: number, lo: number, hi: number, k = 0): number {
  return lo + Math.floor((rand(seed, n, k) * (hi - lo + 1)) / 4294967296);
}

/** A sequential generator for data that has no natural row counter (the text pool). */
export class Sequence {
  private n = 0;
  constructor(private readonly seed: number) {}
  next(): number {
    return rand(this.seed, this.n++);
  }
  /** Index into cumulative weights `cum` (last element = total weight). */
  pick(cum: readonly number[]): number {
    const total = cum[cum.length - 1]!;
    const r = Math.floor((this.next() * total) / 4294967296);
    let i = 0;
    while (cum[i]! <= r) i++;
    return i;
  }
}
