// Script fingerprints (issue 15): MinHash (Broder 1997) of a transcript's normalised text, so two
// calls reading the same script from different numbers are found without comparing every pair.
// Normalisation: lower case, digits to '0' (amounts, case numbers and call-back numbers vary per
// call), everything that is not a letter or digit removed (spaces too, so Chinese and English are
// treated alike); shingles are character 5-grams.

export const MINHASH_SIZE = 64;
const SHINGLE = 5;

export function normaliseTranscript(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\p{Nd}/gu, '0')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

function fnv1a(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit finaliser (murmur3's) of h mixed with seed; also the band-key hash of lsh.ts. */
export function mix(h: number, seed: number): number {
  let x = Math.imul(h ^ seed, 0x9e3779b1);
  x ^= x >>> 15;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

const SEEDS = Array.from({ length: MINHASH_SIZE }, (_, i) => mix(i + 1, 0x5bd1e995));

/** The MINHASH_SIZE minimum hashes of the text's shingles (empty when the text has fewer than 5 characters). */
export function minhash(text: string): number[] {
  const t = normaliseTranscript(text);
  if (t.length < SHINGLE) return [];
  const mins = new Array<number>(MINHASH_SIZE).fill(0xffffffff);
  for (let i = 0; i + SHINGLE <= t.length; i++) {
    const h = fnv1a(t, i, i + SHINGLE);
    for (let k = 0; k < MINHASH_SIZE; k++) {
      const v = mix(h, SEEDS[k]!);
      if (v < mins[k]!) mins[k] = v;
    }
  }
  return mins;
}

/** Estimated Jaccard similarity of two fingerprints' shingle sets (0 when either is empty). */
export function similarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== MINHASH_SIZE || b.length !== MINHASH_SIZE) return 0;
  let same = 0;
  for (let k = 0; k < MINHASH_SIZE; k++) if (a[k] === b[k]) same++;
  return same / MINHASH_SIZE;
}
