import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HolderIndex, blocksOverlap, parseBlock } from '../../../src/governance/index.js';
import type { HolderBlock, NumberBlock } from '../../../src/governance/index.js';
import { CallshieldError } from '../../../src/errors.js';

let n = 0;
function hb(block: NumberBlock, holder: string, carrier = 'c1'): HolderBlock {
  return { ...block, id: `b${++n}`, carrierOrgId: carrier, carrierName: carrier, holder, identityLevel: 'verified', use: 'customer-service' };
}
const num = (d: string): NumberBlock => ({ kind: 'number', first: d, last: d });
const pre = (d: string): NumberBlock => ({ kind: 'prefix', first: d, last: d });
const range = (a: string, b: string): NumberBlock => ({ kind: 'range', first: a, last: b });

describe('parseBlock', () => {
  it('reads a number, a prefix or a range, in any number format', () => {
    assert.deepEqual(parseBlock({ number: '138 0013 8000' }, 'CN', 'b'), num('8613800138000'));
    assert.deepEqual(parseBlock({ prefix: '+86 10 955' }, 'CN', 'b'), pre('8610955'));
    assert.deepEqual(parseBlock({ from: '+8613800000000', to: '+8613800009999' }, 'CN', 'b'), range('8613800000000', '8613800009999'));
  });
  it('names the field at fault', () => {
    const bad: [object, string][] = [
      [{}, 'b'],
      [{ number: '+8613800138000', prefix: '+8610' }, 'b'],
      [{ prefix: '8610955' }, 'b.prefix'],
      [{ prefix: '+86' }, 'b.prefix'],
      [{ prefix: '+0955' }, 'b.prefix'],
      [{ from: '+8613800000000' }, 'b.to'],
      [{ from: '+8613800009999', to: '+8613800000000' }, 'b.to'],
      [{ from: '+8613800000000', to: '+861380000999' }, 'b.to'],
      [{ number: 'not a number' }, 'b.number'],
    ];
    for (const [input, field] of bad) {
      assert.throws(() => parseBlock(input, 'CN', 'b'), (e: unknown) => e instanceof CallshieldError && e.field === field, JSON.stringify(input));
    }
  });
});

describe('blocksOverlap', () => {
  it('knows prefixes, ranges and numbers of different lengths', () => {
    assert.equal(blocksOverlap(pre('861095'), pre('8610955')), true);
    assert.equal(blocksOverlap(pre('861095'), pre('861096')), false);
    assert.equal(blocksOverlap(pre('8613800'), range('8613800000000', '8613800009999')), true);
    assert.equal(blocksOverlap(pre('8613801'), range('8613800000000', '8613800009999')), false);
    assert.equal(blocksOverlap(range('8613800000000', '8613800009999'), range('8613800009999', '8613800019999')), true);
    assert.equal(blocksOverlap(range('8613800000000', '8613800009999'), range('861380001000', '861380002000')), false);
    assert.equal(blocksOverlap(num('8613800005555'), range('8613800000000', '8613800009999')), true);
  });
});

describe('HolderIndex', () => {
  const bank = hb(pre('8695588'), 'ICBC');
  const line = hb(num('8695588123'), 'ICBC card services');
  const leased = hb(range('8613800000000', '8613800009999'), 'Acme Marketing', 'c2');
  const inner = hb(range('8613800005000', '8613800005099'), 'Acme Notifications', 'c2');
  const idx = new HolderIndex([bank, line, leased, inner]);

  it('finds the narrowest block holding a number', () => {
    assert.equal(idx.lookup('8695588000')?.holder, 'ICBC');
    assert.equal(idx.lookup('8695588123')?.holder, 'ICBC card services');
    assert.equal(idx.lookup('8613800001234')?.holder, 'Acme Marketing');
    assert.equal(idx.lookup('8613800005050')?.holder, 'Acme Notifications');
    assert.equal(idx.lookup('8613800010000'), undefined);
    assert.equal(idx.lookup('869558'), undefined);
  });
  it('lists every block overlapping a new one', () => {
    const ids = (b: NumberBlock) => idx.overlapping(b).map((x) => x.holder).sort();
    assert.deepEqual(ids(pre('86955')), ['ICBC', 'ICBC card services']);
    assert.deepEqual(ids(num('8613800005001')), ['Acme Marketing', 'Acme Notifications']);
    assert.deepEqual(ids(pre('86138000099')), ['Acme Marketing']);
    assert.deepEqual(ids(range('8613800009990', '8613800010010')), ['Acme Marketing']);
    assert.deepEqual(ids(pre('86139')), []);
  });
  it('matches a brute-force scan on many random blocks', () => {
    const blocks: HolderBlock[] = [];
    let seed = 7;
    const r = (m: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % m);
    for (let i = 0; i < 300; i++) {
      const base = 8613800000000 + r(100000) * 10;
      const kind = r(3);
      if (kind === 0) blocks.push(hb(num(String(base)), `n${i}`));
      else if (kind === 1) blocks.push(hb(range(String(base), String(base + r(500))), `r${i}`));
      else blocks.push(hb(pre(String(base).slice(0, 9 + r(3))), `p${i}`));
    }
    const big = new HolderIndex(blocks);
    for (let i = 0; i < 300; i++) {
      const probe = num(String(8613800000000 + r(1_000_000)));
      const expected = blocks.filter((b) => blocksOverlap(b, probe)).map((b) => b.id).sort();
      assert.deepEqual(big.overlapping(probe).map((b) => b.id).sort(), expected);
    }
  });
});
