import { createHash } from 'node:crypto';
import { CATEGORIES, buildLabel, labelOf, paddedSize, rangeHash } from '../reputation/index.js';
import type { Category, HotReputation } from '../reputation/index.js';
import { DEFAULT_THRESHOLDS } from './thresholds.js';
import type { Action } from './types.js';

/** One entry of a range answer: the identifier's hash after the prefix, and what screening would do. */
export interface RangeEntry {
  readonly suffix: string;
  readonly action: Action;
  readonly score: number;
  readonly category: Category | null;
  readonly label: string;
}

export interface RangeAnswer {
  readonly prefix: string;
  readonly entries: RangeEntry[];
}

/**
 * What screening does with a caller for a subscriber without a policy (default thresholds): the
 * action a list or a range answer carries. Confirmed fraud is blocked whatever the score.
 */
export function listedAction(r: Pick<HotReputation, 'score' | 'confirmed'>): Action {
  if (r.confirmed || r.score >= DEFAULT_THRESHOLDS.block) return 'block';
  if (r.score >= DEFAULT_THRESHOLDS.warn) return 'warn';
  if (r.score >= DEFAULT_THRESHOLDS.label) return 'label';
  return 'allow';
}

// Decoys look like real entries: a 59-hex suffix and an action, score, category and label drawn
// from the same ranges the real ones take (label by the same builder). They come from a keyed seed
// per prefix (`seed`, made by the caller from the deployment secret), so the same prefix always gets
// the same decoys: asking twice, or from two nodes, and diffing the answers shows nothing. One
// SHAKE256 call gives the bytes of all of them (36 bytes each).
const DECOY_BYTES = 36;

function decoys(seed: string, count: number): RangeEntry[] {
  const out: RangeEntry[] = [];
  if (count <= 0) return out;
  const bytes = createHash('shake256', { outputLength: count * DECOY_BYTES }).update(seed).digest();
  for (let i = 0; i < count; i++) {
    const h = bytes.subarray(i * DECOY_BYTES, (i + 1) * DECOY_BYTES);
    const suffix = h.toString('hex', 0, 30).slice(1);
    const pick = h[30]! % 10;
    const action: Action = pick < 5 ? 'label' : pick < 8 ? 'warn' : 'block';
    const lo = action === 'label' ? DEFAULT_THRESHOLDS.label : action === 'warn' ? DEFAULT_THRESHOLDS.warn : DEFAULT_THRESHOLDS.block;
    const hi = action === 'label' ? DEFAULT_THRESHOLDS.warn - 1 : action === 'warn' ? DEFAULT_THRESHOLDS.block - 1 : 100;
    const score = lo + (h[31]! % (hi - lo + 1));
    const category = CATEGORIES[h[32]! % CATEGORIES.length]!;
    const confirmed = action === 'block' && h[33]! % 4 === 0;
    const reports = confirmed && h[34]! % 2 === 0 ? 0 : 3 + (h[35]! % (action === 'label' ? 12 : 60));
    out.push({ suffix, action, score, category, label: buildLabel({ category, confirmed, claimedOrganization: null, reports, score }) });
  }
  return out;
}

/**
 * The answer for one prefix: every identifier of the bucket whose action is not `allow`, and
 * decoys up to paddedSize (at least 32, otherwise the next power of two), sorted by suffix so the
 * order tells nothing either.
 */
export function rangeAnswer(prefix: string, members: Iterable<readonly [canonical: string, reputation: HotReputation]>, seed: string): RangeAnswer {
  const entries: RangeEntry[] = [];
  for (const [canonical, r] of members) {
    const action = listedAction(r);
    if (action === 'allow') continue;
    const hash = rangeHash(canonical);
    if (!hash.startsWith(prefix)) continue;
    entries.push({ suffix: hash.slice(prefix.length), action, score: r.score, category: r.category, label: labelOf(r) });
  }
  entries.push(...decoys(seed, paddedSize(entries.length) - entries.length));
  entries.sort((a, b) => (a.suffix < b.suffix ? -1 : a.suffix > b.suffix ? 1 : 0));
  return { prefix, entries };
}
