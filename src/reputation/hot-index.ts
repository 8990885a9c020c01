import { buildLabel } from './label.js';
import { CATEGORIES } from './types.js';
import type { Category, Reputation } from './types.js';

/** What screening needs of a reputation, rebuilt from the packed form without touching the database. */
export interface HotReputation {
  readonly score: number;
  readonly category: Category | null;
  readonly confidence: number;
  readonly reports: number;
  readonly confirmed: boolean;
  readonly claimedOrganization: string | null;
}

const MAX_REPORTS = 16_383;

// One small integer per identifier keeps a million callers in well under 300 bytes each: V8 stores
// a 31-bit integer inline in the Map entry, with no object behind it. Bits: score 0-6, category
// 7-9 (0 = none), confidence in fifteenths 10-13, confirmed 14, reports 15-28. The rare claimed
// organisation lives in a second map.
function pack(r: Reputation): number {
  const cat = r.category ? CATEGORIES.indexOf(r.category) + 1 : 0;
  const conf = Math.round(r.confidence * 15);
  return (
    (r.score & 0x7f) |
    (cat << 7) |
    (conf << 10) |
    ((r.confirmed ? 1 : 0) << 14) |
    (Math.min(r.reports, MAX_REPORTS) << 15)
  );
}

function unpack(v: number, claimedOrganization: string | null): HotReputation {
  const cat = (v >> 7) & 7;
  return {
    score: v & 0x7f,
    category: cat === 0 ? null : (CATEGORIES[cat - 1] ?? null),
    confidence: ((v >> 10) & 15) / 15,
    confirmed: ((v >> 14) & 1) === 1,
    reports: (v >> 15) & MAX_REPORTS,
    claimedOrganization,
  };
}

export class ReputationIndex {
  private readonly packed = new Map<string, number>();
  private readonly claimed = new Map<string, string>();
  private readonly shared = new Map<number, HotReputation>();
  private watcher: ((canonical: string, present: boolean) => void) | undefined;

  /**
   * Calls `fn` whenever an identifier enters or leaves the index (not when its reputation merely
   * changes): the range look-up's SHA-256 buckets follow the index this way. One watcher.
   */
  watch(fn: ((canonical: string, present: boolean) => void) | undefined): void {
    this.watcher = fn;
  }

  /** Stores a fresh reputation; identifiers with nothing against them are dropped to save memory. */
  set(canonical: string, r: Reputation): void {
    if (r.score === 0 && !r.confirmed) {
      this.delete(canonical);
      return;
    }
    if (this.watcher && !this.packed.has(canonical)) this.watcher(canonical, true);
    this.packed.set(canonical, pack(r));
    if (r.claimedOrganization) this.claimed.set(canonical, r.claimedOrganization);
    else this.claimed.delete(canonical);
  }

  get(canonical: string): HotReputation | undefined {
    const v = this.packed.get(canonical);
    if (v === undefined) return undefined;
    const claimed = this.claimed.size === 0 ? null : (this.claimed.get(canonical) ?? null);
    if (claimed !== null) return unpack(v, claimed);
    // Reputations without a claimed organisation are fully described by the packed integer, and
    // few distinct values exist: share one frozen object per value instead of allocating per call.
    let r = this.shared.get(v);
    if (r === undefined) {
      if (this.shared.size >= 50_000) this.shared.clear();
      r = Object.freeze(unpack(v, null));
      this.shared.set(v, r);
    }
    return r;
  }

  has(canonical: string): boolean {
    return this.packed.has(canonical);
  }

  delete(canonical: string): void {
    if (this.packed.delete(canonical) && this.watcher) this.watcher(canonical, false);
    this.claimed.delete(canonical);
  }

  clear(): void {
    this.packed.clear();
    this.claimed.clear();
  }

  get size(): number {
    return this.packed.size;
  }

  /** Every entry in its packed form (index-snapshot.ts writes these to disk). */
  *packedEntries(): Generator<[canonical: string, packed: number, claimedOrganization: string | undefined]> {
    for (const [id, v] of this.packed) yield [id, v, this.claimed.size === 0 ? undefined : this.claimed.get(id)];
  }

  /** Restores one entry written by packedEntries (a snapshot), without re-scoring. */
  setPacked(canonical: string, packed: number, claimedOrganization?: string): void {
    this.packed.set(canonical, packed);
    if (claimedOrganization) this.claimed.set(canonical, claimedOrganization);
  }

  keys(): IterableIterator<string> {
    return this.packed.keys();
  }
}

// Screening shows the same few thousand labels millions of times; building the string once per
// distinct (score, category, confidence, reports, confirmed) saves an allocation on the hot path.
const labelCache = new Map<number, string>();

// Keyed by the shared HotReputation objects (see ReputationIndex.get), so a hit costs one look-up.
const reasonCache = new WeakMap<HotReputation, { code: string; text: string }>();

/** The REPUTATION reason screening shows, built once per shared reputation value. */
export function reputationReason(r: HotReputation): { code: string; text: string } {
  let reason = reasonCache.get(r);
  if (reason === undefined) {
    reason = Object.freeze({ code: 'REPUTATION', text: `Risk score ${r.score}/100: ${labelOf(r)}` });
    if (Object.isFrozen(r)) reasonCache.set(r, reason);
  }
  return reason;
}

export function labelOf(r: HotReputation): string {
  if (r.claimedOrganization) return buildLabel(r);
  const key = (r.score & 0x7f) | ((r.confirmed ? 1 : 0) << 7) | (Math.min(r.reports, MAX_REPORTS) << 8) | ((r.category ? CATEGORIES.indexOf(r.category) + 1 : 0) << 22);
  let label = labelCache.get(key);
  if (label === undefined) {
    if (labelCache.size > 50_000) labelCache.clear();
    label = buildLabel(r);
    labelCache.set(key, label);
  }
  return label;
}
