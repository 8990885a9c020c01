// Number → dense slot index, for the CDR analyser's per-caller arrays. A Map keyed by numbers
// above 2^31 boxes every key it sees; this open-addressing table keeps the keys in a Float64Array
// and hashes the two 32-bit halves, so a look-up allocates nothing.
const TWO32 = 4294967296;

export class NumberSlots {
  private keys: Float64Array;
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 4096) {
    let cap = 4096;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Float64Array(cap).fill(-1);
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
  }

  private home(v: number): number {
    let h = Math.imul((v >>> 0) ^ Math.imul(Math.floor(v / TWO32), 0x27d4eb2f), 0x9e3779b1);
    h ^= h >>> 16;
    return h & this.mask;
  }

  /** The slot of v (≥ 0), or -1. */
  get(v: number): number {
    for (let i = this.home(v); ; i = (i + 1) & this.mask) {
      const k = this.keys[i]!;
      if (k === v) return this.slots[i]!;
      if (k === -1) return -1;
    }
  }

  /** Stores v → slot (v must not be present yet). */
  set(v: number, slot: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    let i = this.home(v);
    while (this.keys[i] !== -1) i = (i + 1) & this.mask;
    this.keys[i] = v;
    this.slots[i] = slot;
    this.size++;
  }

  private grow(): void {
    const keys = this.keys;
    const slots = this.slots;
    this.keys = new Float64Array(keys.length * 2).fill(-1);
    this.slots = new Int32Array(keys.length * 2);
    this.mask = keys.length * 2 - 1;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j]!;
      if (k === -1) continue;
      let i = this.home(k);
      while (this.keys[i] !== -1) i = (i + 1) & this.mask;
      this.keys[i] = k;
      this.slots[i] = slots[j]!;
    }
  }
}
