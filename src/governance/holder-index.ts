import { POW10 } from './number-block.js';
import type { CallerHolder, HolderBlock, NumberBlock } from './types.js';

const MAX_DIGITS = 15; // ITU-T E.164 §6: at most 15 digits

interface Level {
  starts: Float64Array;
  ends: Float64Array;
  /** Running maximum of ends: lets an interval query stop scanning back as soon as nothing earlier can reach it. */
  maxEnd: Float64Array;
  refs: HolderBlock[];
}

function buildLevel(items: { start: number; end: number; ref: HolderBlock }[]): Level {
  items.sort((a, b) => a.start - b.start || a.end - b.end);
  const n = items.length;
  const level: Level = { starts: new Float64Array(n), ends: new Float64Array(n), maxEnd: new Float64Array(n), refs: new Array(n) };
  let max = -1;
  items.forEach((it, i) => {
    level.starts[i] = it.start;
    level.ends[i] = it.end;
    max = Math.max(max, it.end);
    level.maxEnd[i] = max;
    level.refs[i] = it.ref;
  });
  return level;
}

/** Index of the last entry whose start is ≤ v, or -1. */
function lastStartAtMost(starts: Float64Array, v: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Who holds which numbers, in memory for screening: exact numbers and ranges sit in sorted interval
 * arrays per number length, prefixes in sorted arrays per prefix length. A look-up is at most 16
 * binary searches and never touches the database. The narrowest matching block wins, so a carrier
 * can lease a prefix to one enterprise and a single number inside it to another.
 */
export class HolderIndex {
  private readonly byId = new Map<string, HolderBlock>();
  private ranges: (Level | undefined)[] = [];
  private prefixes: (Level | undefined)[] = [];

  constructor(blocks: Iterable<HolderBlock> = []) {
    for (const b of blocks) this.byId.set(b.id, b);
    this.rebuild();
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): HolderBlock | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<HolderBlock> {
    return this.byId.values();
  }

  /** Adds or replaces blocks (by id) and rebuilds the sorted arrays once. */
  upsert(blocks: readonly HolderBlock[]): void {
    for (const b of blocks) this.byId.set(b.id, b);
    this.rebuild();
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) this.byId.delete(id);
    this.rebuild();
  }

  private rebuild(): void {
    const ranges: { start: number; end: number; ref: HolderBlock }[][] = [];
    const prefixes: { start: number; end: number; ref: HolderBlock }[][] = [];
    for (const b of this.byId.values()) {
      const into = b.kind === 'prefix' ? prefixes : ranges;
      const len = b.first.length;
      (into[len] ??= []).push({ start: Number(b.first), end: Number(b.last), ref: b });
    }
    this.ranges = ranges.map((items) => (items ? buildLevel(items) : undefined));
    this.prefixes = prefixes.map((items) => (items ? buildLevel(items) : undefined));
  }

  private collect(level: Level | undefined, x: number, y: number, out: HolderBlock[]): void {
    if (!level) return;
    for (let i = lastStartAtMost(level.starts, y); i >= 0 && level.maxEnd[i]! >= x; i--) {
      if (level.ends[i]! >= x) out.push(level.refs[i]!);
    }
  }

  /** The narrowest block holding a number given as its digits (E.164 without "+"). */
  lookup(digits: string): HolderBlock | undefined {
    const len = digits.length;
    if (len > MAX_DIGITS || len === 0) return undefined;
    const n = Number(digits);
    let best: HolderBlock | undefined;
    let bestSpan = Infinity;
    const level = this.ranges[len];
    if (level) {
      for (let i = lastStartAtMost(level.starts, n); i >= 0 && level.maxEnd[i]! >= n; i--) {
        if (level.ends[i]! < n) continue;
        const span = level.ends[i]! - level.starts[i]! + 1;
        if (span < bestSpan) {
          bestSpan = span;
          best = level.refs[i]!;
        }
      }
    }
    for (let lp = Math.min(len, this.prefixes.length - 1); lp >= 1; lp--) {
      const p = this.prefixes[lp];
      if (!p) continue;
      const span = POW10[len - lp]!;
      if (span >= bestSpan) break; // shorter prefixes only get wider
      const v = Math.floor(n / span);
      const i = lastStartAtMost(p.starts, v);
      if (i >= 0 && p.starts[i] === v) {
        best = p.refs[i]!;
        bestSpan = span;
        break;
      }
    }
    return best;
  }

  /** Every registered block that shares at least one number with `block`. */
  overlapping(block: NumberBlock): HolderBlock[] {
    const out: HolderBlock[] = [];
    const lb = block.first.length;
    if (block.kind !== 'prefix') {
      const a = Number(block.first);
      const b = Number(block.last);
      this.collect(this.ranges[lb], a, b, out);
      for (let lp = 1; lp <= lb; lp++) {
        const k = POW10[lb - lp]!;
        this.collect(this.prefixes[lp], Math.floor(a / k), Math.floor(b / k), out);
      }
      return out;
    }
    const p = Number(block.first);
    for (let len = lb; len <= MAX_DIGITS; len++) {
      const k = POW10[len - lb]!;
      this.collect(this.ranges[len], p * k, (p + 1) * k - 1, out);
    }
    for (let lq = 1; lq <= MAX_DIGITS; lq++) {
      if (lq <= lb) {
        const v = Math.floor(p / POW10[lb - lq]!);
        this.collect(this.prefixes[lq], v, v, out);
      } else {
        const k = POW10[lq - lb]!;
        this.collect(this.prefixes[lq], p * k, (p + 1) * k - 1, out);
      }
    }
    return out;
  }
}

export function callerHolderOf(b: HolderBlock): CallerHolder {
  return { name: b.holder, use: b.use, verified: b.identityLevel === 'verified' };
}
