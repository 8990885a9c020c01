import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeySet64, NumberKeyer, digitsOf, parseKeyHex } from '../../../src/governance/index.js';
import { seededRandom } from '../../../src/governance/index.js';

describe('NumberKeyer (SipHash-2-4)', () => {
  it('matches the reference vector of Aumasson & Bernstein for an 8-byte message', () => {
    const k = new NumberKeyer(Uint8Array.from({ length: 16 }, (_, i) => i));
    k.hash64(0x07060504, 0x03020100); // bytes 00..07, little-endian
    assert.equal(k.hex(), '93f5f5799a932462');
  });
  it('depends on the key, and names a number by its digits', () => {
    const a = new NumberKeyer(Buffer.alloc(16, 1));
    const b = new NumberKeyer(Buffer.alloc(16, 2));
    a.hashNumber(digitsOf('+8613800138000'));
    b.hashNumber(8613800138000);
    assert.notEqual(a.hex(), b.hex());
    const first = a.hex();
    a.hashNumber(8613800138001);
    assert.notEqual(a.hex(), first);
    a.hashNumber(8613800138000);
    assert.equal(a.hex(), first);
    assert.deepEqual(parseKeyHex(first), { hi: a.hi, lo: a.lo });
  });
});

describe('KeySet64', () => {
  it('agrees with a Set under random adds and deletes (backward-shift deletion keeps probe runs whole)', () => {
    const rnd = seededRandom(42);
    const set = new KeySet64(16);
    const ref = new Set<string>();
    // Few distinct keys with shared low bits force long probe runs and wrap-arounds.
    const keys = Array.from({ length: 3000 }, (_, i) => [Math.floor(rnd() * 2 ** 32), (i * 1024) >>> 0] as const);
    for (let step = 0; step < 20_000; step++) {
      const [hi, lo] = keys[Math.floor(rnd() * keys.length)]!;
      const id = `${hi}:${lo}`;
      if (rnd() < 0.6) assert.equal(set.add(hi, lo), !ref.has(id)), ref.add(id);
      else assert.equal(set.delete(hi, lo), ref.delete(id));
      assert.equal(set.size, ref.size);
    }
    for (const [hi, lo] of keys) assert.equal(set.has(hi, lo), ref.has(`${hi}:${lo}`));
  });
  it('stores the all-zero key', () => {
    const set = new KeySet64();
    assert.equal(set.has(0, 0), false);
    set.add(0, 0);
    assert.equal(set.has(0, 0), true);
  });
});
