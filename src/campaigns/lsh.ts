import { MINHASH_SIZE, mix, similarity } from './minhash.js';

// Locality-sensitive hashing of script fingerprints (issue 15): the MinHash signature is cut into
// LSH_BANDS bands of LSH_ROWS rows; two fingerprints become candidates when one whole band is
// equal, and a candidate is then confirmed with the estimated Jaccard similarity (≥ 0.6). A new
// fingerprint so looks up only the rows that share one of its band keys, never every stored
// fingerprint. The same band keys serve the stored index (script_bands) and the batch grouping of
// groupCampaigns, so both find the same pairs.
//
// Choice of b × r for the 0.6 threshold. Under the usual model (each row equal with probability s)
// a pair of similarity s becomes a candidate with probability 1 − (1 − s^r)^b:
//
//   s      0.2    0.3    0.4    0.5    0.6    0.7    0.8
//   16×4   0.025  0.122  0.340  0.644  0.891  0.988  1.000
//   21×3   0.155  0.437  0.751  0.939  0.994  1.000  1.000
//   32×2   0.729  0.951  0.996  1.000  1.000  1.000  1.000
//
// What matters here is the miss rate given the estimate we confirm with: two fingerprints equal in
// m of the 64 rows are missed only when every band holds one of the 64 − m unequal rows. With the
// unequal rows placed at random (inclusion–exclusion over the bands):
//
//   m (estimate)   39 (0.61)   40 (0.62)   41 (0.64)   42 (0.66)   43 (0.67)   44 (0.69)   48 (0.75)
//   16×4 misses    5.6e-2      3.6e-2      2.2e-2      1.3e-2      6.4e-3      2.9e-3      8.8e-6 (0 from 49)
//   21×3 misses    2.3e-4      7.0e-5      1.7e-5      2.9e-6      2.5e-7      0           0
//
// 16×4 would lose one in twenty matches just above the threshold; 32×2 makes most unrelated scam
// scripts (which share phrasing, s ≈ 0.2) candidates, each a row to read and compare. 21 bands of
// 3 rows (the 64th row is not banded) miss at most 2.3e-4 of the matches at the threshold and none
// from an estimate of 44/64 up (20 unequal rows cannot break all 21 bands), at the price of more
// candidates around s ≈ 0.2–0.4, which the confirmation drops.

/** Two fingerprints at least this similar (estimated Jaccard) are the same script; batch grouping and the index both confirm with it. */
export const SCRIPT_SIMILARITY = 0.6;
export const LSH_BANDS = 21;
export const LSH_ROWS = 3;

/** 1 − (1 − s^r)^b: the chance that a pair of similarity s shares at least one band. */
export function candidateProbability(s: number, bands = LSH_BANDS, rows = LSH_ROWS): number {
  return 1 - (1 - s ** rows) ** bands;
}

/**
 * The band keys of a fingerprint, one per band, as integers below 2^53 (stored in an integer
 * column on both engines): two independent 32-bit hashes of the band number and its rows. A
 * collision only adds a candidate, which the confirmation then drops. Empty for an empty or
 * malformed fingerprint (text too short to have one).
 */
export function scriptBandKeys(fp: readonly number[]): number[] {
  if (fp.length !== MINHASH_SIZE) return [];
  const out: number[] = [];
  for (let b = 0; b < LSH_BANDS; b++) {
    let hi = mix(0x2545f491, b);
    let lo = mix(0x68e31da4, b);
    for (let r = 0; r < LSH_ROWS; r++) {
      const v = fp[b * LSH_ROWS + r]!;
      hi = mix(hi, v);
      lo = mix(lo, v);
    }
    out.push((hi & 0x1fffff) * 0x1_0000_0000 + lo);
  }
  return out;
}

/** Whether two fingerprints share a band key (the LSH candidate rule). */
export function shareBand(a: readonly number[], b: readonly number[]): boolean {
  const ka = scriptBandKeys(a);
  const kb = scriptBandKeys(b);
  return ka.some((k, i) => k === kb[i]);
}

/**
 * The candidates that are real matches: estimated similarity at least `threshold` with one of the
 * fingerprints `of` (a caller's scripts). Each match names the fingerprint of `of` it matched.
 */
export function confirmCandidates<T extends { readonly fingerprint: readonly number[] }, S extends { readonly fingerprint: readonly number[] }>(
  of: readonly S[],
  candidates: readonly T[],
  threshold = SCRIPT_SIMILARITY,
): { candidate: T; matched: S; similarity: number }[] {
  const out: { candidate: T; matched: S; similarity: number }[] = [];
  for (const c of candidates) {
    let best: S | undefined;
    let bestSim = -1;
    for (const s of of) {
      const sim = similarity(s.fingerprint, c.fingerprint);
      if (sim > bestSim) [best, bestSim] = [s, sim];
    }
    if (best && bestSim >= threshold) out.push({ candidate: c, matched: best, similarity: bestSim });
  }
  return out;
}
