import { buildLabel } from './label.js';
import { CATEGORIES } from './types.js';
import { NumberTable, e164Number, numberHash } from './number-table.js';
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

/** How the index is split; tests set a small shardLimit to cross a shard's limit cheaply. */
export interface IndexShape {
  /** Number of shards (1 to 65,536). */
  readonly shards?: number;
  /** Most identifiers one shard holds; a V8 Map holds at most 2^24, so the default stays below it. */
  readonly shardLimit?: number;
}

export const DEFAULT_SHARDS = 64;
export const DEFAULT_SHARD_LIMIT = 16_000_000;

/** FNV-1a over the UTF-16 code units: picks the shard of an identifier that is not an E.164 number. */
function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

/**
 * The hot reputation index: canonical identifier -> packed reputation. One V8 Map holds at most
 * 2^24 (16.7 M) entries and a node is sized for ~100 M identifiers (docs/scaling.md), so the
 * entries are spread over shards by a hash of the key, each with its own limit. E.164 numbers (the
 * bulk) go to NumberTables keyed by the number itself; e-mail, SIP and account identifiers to Maps.
 */
export class ReputationIndex {
  private readonly numbers: NumberTable[];
  private readonly strings: Map<string, number>[];
  private readonly shardCount: number;
  private readonly shardLimit: number;
  private count = 0;
  private readonly claimed = new Map<string, string>();
  private readonly shared = new Map<number, HotReputation>();
  private watcher: ((canonical: string, present: boolean) => void) | undefined;

  constructor(shape: IndexShape = {}) {
    this.shardCount = shape.shards ?? DEFAULT_SHARDS;
    this.shardLimit = shape.shardLimit ?? DEFAULT_SHARD_LIMIT;
    if (!Number.isInteger(this.shardCount) || this.shardCount < 1 || this.shardCount > 65_536) throw new RangeError('shards must be 1 to 65,536');
    if (!Number.isInteger(this.shardLimit) || this.shardLimit < 1) throw new RangeError('shardLimit must be a positive integer');
    this.numbers = Array.from({ length: this.shardCount }, () => new NumberTable(this.shardLimit));
    this.strings = Array.from({ length: this.shardCount }, () => new Map<string, number>());
  }

  /** The shard of a 32-bit hash, from its high 16 bits (a NumberTable places keys by the others). */
  private shardOf(h: number): number {
    return ((h >>> 16) * this.shardCount) >>> 16;
  }

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
    const added = this.store(canonical, pack(r));
    if (r.claimedOrganization) this.claimed.set(canonical, r.claimedOrganization);
    else this.claimed.delete(canonical);
    if (added && this.watcher) this.watcher(canonical, true);
  }

  /** The packed reputation of an identifier, or -1 when the index has none. */
  private packedOf(canonical: string): number {
    const n = e164Number(canonical);
    if (n > 0) {
      const h = numberHash(n);
      return this.numbers[this.shardOf(h)]!.get(n, h);
    }
    return this.strings[this.shardOf(stringHash(canonical))]!.get(canonical) ?? -1;
  }

  /** Stores a packed value; true when the identifier was not in the index. Throws (changing nothing) when its shard is full. */
  private store(canonical: string, packed: number): boolean {
    let added: boolean;
    const n = e164Number(canonical);
    if (n > 0) {
      const h = numberHash(n);
      added = this.numbers[this.shardOf(h)]!.set(n, h, packed);
    } else {
      const shard = this.strings[this.shardOf(stringHash(canonical))]!;
      added = !shard.has(canonical);
      if (added && shard.size >= this.shardLimit) throw new RangeError(`reputation index shard is full (${this.shardLimit} entries): use more shards`);
      shard.set(canonical, packed);
    }
    if (added) this.count++;
    return added;
  }

  get(canonical: string): HotReputation | undefined {
    const v = this.packedOf(canonical);
    if (v < 0) return undefined;
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
    return this.packedOf(canonical) >= 0;
  }

  delete(canonical: string): void {
    let removed: boolean;
    const n = e164Number(canonical);
    if (n > 0) {
      const h = numberHash(n);
      removed = this.numbers[this.shardOf(h)]!.delete(n, h);
    } else {
      removed = this.strings[this.shardOf(stringHash(canonical))]!.delete(canonical);
    }
    this.claimed.delete(canonical);
    if (removed) {
      this.count--;
      if (this.watcher) this.watcher(canonical, false);
    }
  }

  clear(): void {
    for (const t of this.numbers) t.clear();
    for (const m of this.strings) m.clear();
    this.claimed.clear();
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  /** Every entry in its packed form (index-snapshot.ts writes these to disk). Order: by shard. */
  *packedEntries(): Generator<[canonical: string, packed: number, claimedOrganization: string | undefined]> {
    for (const [id, v] of this.entries()) yield [id, v, this.claimed.size === 0 ? undefined : this.claimed.get(id)];
  }

  /** Restores one entry written by packedEntries (a snapshot), without re-scoring. */
  setPacked(canonical: string, packed: number, claimedOrganization?: string): void {
    this.store(canonical, packed);
    if (claimedOrganization) this.claimed.set(canonical, claimedOrganization);
  }

  *keys(): Generator<string> {
    for (const [id] of this.entries()) yield id;
  }

  private *entries(): Generator<[canonical: string, packed: number]> {
    for (const t of this.numbers) for (const [n, v] of t.entries()) yield [`+${n}`, v];
    for (const m of this.strings) yield* m;
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
