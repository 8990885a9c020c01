// A set of 64-bit keys in two typed arrays (open addressing, linear probing, backward-shift
// deletion). Ten million do-not-call registrations take 2 × 4 bytes × capacity (≈ 160 MB at the
// 0.5 load factor below) instead of the ~1 GB a Set of strings would need, and a look-up is two
// array reads. The all-zero key marks an empty slot, so a real zero key is stored as (0, 1).
export class KeySet64 {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  private slotOf(hi: number, lo: number): number {
    // The keys are SipHash outputs: already uniform, so the low bits are a good slot index.
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const h = this.hi[i]!;
      const l = this.lo[i]!;
      if (h === 0 && l === 0) return ~i;
      if (h === hi && l === lo) return i;
      i = (i + 1) & this.mask;
    }
  }

  has(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    return this.slotOf(hi >>> 0, lo >>> 0) >= 0;
  }

  /** Returns false when the key was already there. */
  add(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = 1;
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    const s = this.slotOf(hi, lo);
    if (s >= 0) return false;
    this.hi[~s] = hi;
    this.lo[~s] = lo;
    this.count++;
    return true;
  }

  delete(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = 1;
    let i = this.slotOf(hi, lo);
    if (i < 0) return false;
    // Backward-shift: move later entries of the probe run into the hole so look-ups never stop early.
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      const h = this.hi[j]!;
      const l = this.lo[j]!;
      if (h === 0 && l === 0) break;
      const home = (l ^ Math.imul(h, 0x9e3779b1)) & this.mask;
      const between = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!between) {
        this.hi[i] = h;
        this.lo[i] = l;
        i = j;
      }
    }
    this.hi[i] = 0;
    this.lo[i] = 0;
    this.count--;
    return true;
  }

  private grow(): void {
    const oldHi = this.hi;
    const oldLo = this.lo;
    const cap = (this.mask + 1) * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.mask = cap - 1;
    for (let k = 0; k < oldHi.length; k++) {
      const h = oldHi[k]!;
      const l = oldLo[k]!;
      if (h === 0 && l === 0) continue;
      const s = this.slotOf(h, l);
      this.hi[~s] = h;
      this.lo[~s] = l;
    }
  }
}
