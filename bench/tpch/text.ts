// Text columns: comments are substrings of one pseudo-text pool built from the spec's
// sentence grammar (clause 4.2.2.10/4.2.2.14), so LIKE predicates such as Q13's
// '%special%requests%' hit a realistic fraction of rows; addresses are random
// alphanumeric "v-strings".
import {
  ADJECTIVES, ADVERBS, AUXILIARIES, NOUN_PHRASES, NOUNS, PREPOSITIONS, SENTENCES, TERMINATORS,
  VERB_PHRASES, VERBS, type Weighted,
} from './dists.js';
import { rand, Sequence, streamSeed, uniform } from './rng.js';

/** dbgen's pool is 300 MB; a few MB already gives every comment a distinct-enough context. */
export const POOL_SIZE = 8 * 1024 * 1024;

class WeightedList {
  readonly words: readonly string[];
  readonly cum: readonly number[];
  constructor(list: Weighted) {
    this.words = list.map(([word]) => word);
    let acc = 0;
    this.cum = list.map(([, weight]) => (acc += weight));
  }
  pick(seq: Sequence): string {
    return this.words[seq.pick(this.cum)]!;
  }
}

const L = {
  n: new WeightedList(NOUNS), v: new WeightedList(VERBS), j: new WeightedList(ADJECTIVES),
  d: new WeightedList(ADVERBS), p: new WeightedList(PREPOSITIONS), x: new WeightedList(AUXILIARIES),
  t: new WeightedList(TERMINATORS), s: new WeightedList(SENTENCES), np: new WeightedList(NOUN_PHRASES),
  vp: new WeightedList(VERB_PHRASES),
};

function phrase(seq: Sequence, production: string, out: string[]): void {
  for (const sym of production.split(' ')) {
    if (sym === ',') out[out.length - 1] += ',';
    else out.push(L[sym as 'n' | 'v' | 'j' | 'd' | 'x'].pick(seq));
  }
}

function sentence(seq: Sequence): string {
  const words: string[] = [];
  for (const part of L.s.pick(seq).split(' ')) {
    switch (part) {
      case 'N': phrase(seq, L.np.pick(seq), words); break;
      case 'V': phrase(seq, L.vp.pick(seq), words); break;
      case 'P': words.push(L.p.pick(seq), 'the'); phrase(seq, L.np.pick(seq), words); break;
      case 'T': words[words.length - 1] += L.t.pick(seq); break;
    }
  }
  return words.join(' ');
}

let cachedPool: string | undefined;

/** The shared text pool; built once per process (about 0.3 s). */
export function textPool(): string {
  if (cachedPool === undefined) {
    const seq = new Sequence(streamSeed('text_pool'));
    const parts: string[] = [];
    let len = 0;
    while (len < POOL_SIZE) {
      const s = sentence(seq);
      parts.push(s);
      len += s.length + 1;
    }
    // Flatten now: a rope would make every later substring walk the concatenation tree.
    cachedPool = parts.join(' ').slice(0, POOL_SIZE);
    cachedPool.charCodeAt(0);
  }
  return cachedPool;
}

/** "text string [min, max]": a pool substring of uniform length at a uniform offset. */
export function comment(pool: string, seed: number, n: number, min: number, max: number): string {
  const len = uniform(seed, n, min, max, 0);
  const off = uniform(seed, n, 0, pool.length - max, 1);
  return pool.substring(off, off + len);
}

const ALNUM = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,.';

/** "v-string [min, max]": random characters from a 64-symbol alphabet. */
export function vstring(seed: number, n: number, min: number, max: number): string {
  const len = uniform(seed, n, min, max, 0);
  let s = '';
  let bits = 0;
  let word = 0;
  for (let i = 0, k = 1; i < len; i++) {
    if (bits < 6) {
      word = rand(seed, n, k++);
      bits = 32;
    }
    s += ALNUM[word & 63];
    word >>>= 6;
    bits -= 6;
  }
  return s;
}

/** Clause 4.2.2.9: country code is nationkey + 10, then three random local number groups. */
export function phone(seed: number, n: number, nationkey: number): string {
  return `${nationkey + 10}-${uniform(seed, n, 100, 999, 0)}-${uniform(seed, n, 100, 999, 1)}-${uniform(seed, n, 1000, 9999, 2)}`;
}

export function pad9(k: number): string {
  return String(k).padStart(9, '0');
}
