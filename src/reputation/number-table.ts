// A hash table from E.164 numbers (as doubles: at most 15 digits, so exact below 2^53) to packed
// reputations, in two typed arrays with open addressing and linear probing. Against a Map keyed by
// the canonical string it needs no key string on the heap (12 bytes a slot instead of ~90 bytes an
// identifier) and a look-up reads one slot instead of a bucket, an entry and the key string: fewer
// cache misses on a table of millions. It has no 2^24 entry limit of its own; the caller sets one.

/** The number of an E.164 string (`+` and 7 to 15 digits, the first not 0), or -1 for anything else. */
export function e164Number(s: string): number {
  const len = s.length;
  if (len < 8 || len > 16 || s.charCodeAt(0) !== 43 /* + */) return -1;
  let n = s.charCodeAt(1) - 48;
  if (n < 1 || n > 9) return -1;
  for (let i = 2; i < len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** A 32-bit hash of a number key (murmur3's finaliser over its two halves). */
export function numberHash(n: number): number {
  let h = Math.imul((n >>> 0) ^ Math.imul((n / 4294967296) >>> 0, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

// The slot comes from a second mix of the hash, so that the bits that chose the shard (the high
// ones, see ShardedIndex) do not also crowd a shard's keys into a few slots.
function slotHash(h: number): number {
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

const INITIAL_SLOTS = 1024;

export class NumberTable {
  private keys = new Float64Array(INITIAL_SLOTS);
  private values = new Int32Array(INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  private count = 0;

  /** `limit`: most entries this table takes (set refuses the next one with a RangeError). */
  constructor(private readonly limit: number) {}

  get size(): number {
    return this.count;
  }

  /** The value stored for n, or -1 (values are never negative). `h` is numberHash(n). */
  get(n: number, h: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = slotHash(h) & mask;
    for (;;) {
      const k = keys[i]!;
      if (k === n) return this.values[i]!;
      if (k === 0) return -1;
      i = (i + 1) & mask;
    }
  }

  /** Stores value (≥ 0) for n; true when n was not there before. */
  set(n: number, h: number, value: number): boolean {
    let i = slotHash(h) & this.mask;
    for (;;) {
      const k = this.keys[i]!;
      if (k === n) {
        this.values[i] = value;
        return false;
      }
      if (k === 0) break;
      i = (i + 1) & this.mask;
    }
    if (this.count >= this.limit) throw new RangeError(`reputation index shard is full (${this.limit} entries): use more shards`);
    // At most half full, so a miss ends after a short run of slots.
    if ((this.count + 1) * 2 > this.keys.length) {
      this.grow();
      i = slotHash(h) & this.mask;
      while (this.keys[i] !== 0) i = (i + 1) & this.mask;
    }
    this.keys[i] = n;
    this.values[i] = value;
    this.count++;
    return true;
  }

  /** Removes n; true when it was there. Later keys of the same run move back (no tombstones). */
  delete(n: number, h: number): boolean {
    const keys = this.keys;
    const mask = this.mask;
    let i = slotHash(h) & mask;
    for (;;) {
      const k = keys[i]!;
      if (k === 0) return false;
      if (k === n) break;
      i = (i + 1) & mask;
    }
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const k = keys[j]!;
      if (k === 0) break;
      const home = slotHash(numberHash(k)) & mask;
      // k may fill the hole at i when its home slot is not cyclically within (i, j].
      const between = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!between) {
        keys[i] = k;
        this.values[i] = this.values[j]!;
        i = j;
      }
    }
    keys[i] = 0;
    this.values[i] = 0;
    this.count--;
    return true;
  }

  clear(): void {
    this.keys = new Float64Array(INITIAL_SLOTS);
    this.values = new Int32Array(INITIAL_SLOTS);
    this.mask = INITIAL_SLOTS - 1;
    this.count = 0;
  }

  /**
   * Every entry, from a copy of the table taken when the iteration starts: a delete moves entries
   * back and a growth rehashes them, so iterating the live arrays across a pause (the snapshot
   * writer yields to the event loop) could skip an entry that was there all along.
   */
  *entries(): Generator<[n: number, value: number]> {
    if (this.count === 0) return;
    const keys = this.keys.slice();
    const values = this.values.slice();
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) yield [keys[i]!, values[i]!];
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const slots = oldKeys.length * 2;
    this.keys = new Float64Array(slots);
    this.values = new Int32Array(slots);
    this.mask = slots - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j]!;
      if (k === 0) continue;
      let i = slotHash(numberHash(k)) & this.mask;
      while (this.keys[i] !== 0) i = (i + 1) & this.mask;
      this.keys[i] = k;
      this.values[i] = oldValues[j]!;
    }
  }
}
