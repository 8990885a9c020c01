// The script campaign of one caller found through the band index (src/campaigns/lsh-group.ts),
// over an in-memory index: the walk through callers outside campaigns, the stop at campaign
// members, MIN_MEMBERS counted with the campaigns touched, and the two-organisation rule for
// conversation-guard scripts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CANDIDATES_PER_KEY, LSH_BANDS, MAX_SCRIPTS_PER_CALLER, MINHASH_SIZE, findScriptGroup, scriptBandKeys } from '../../../src/campaigns/index.js';
import type { IndexedScript } from '../../../src/campaigns/index.js';
import { memoryScriptIndex } from '../../helpers/memory-script-index.js';

const base = Array.from({ length: MINHASH_SIZE }, (_, i) => 1000 + i * 7919);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
/** fp with the given rows changed: 20 rows changed leave an estimate of 44/64, always found. */
const vary = (fp: readonly number[], rows: Iterable<number>, tag: number): number[] => {
  const out = [...fp];
  for (const r of rows) out[r] = 9_000_000 + tag * 100 + r;
  return out;
};
const unrelated = (tag: number) => Array.from({ length: MINHASH_SIZE }, (_, i) => 50_000_000 + tag * 1000 + i);
let n = 0;
const script = (caller: string, fingerprint: number[], party?: string): IndexedScript => ({ id: `s${++n}`, caller, fingerprint, at: 1_000 + n, ...(party ? { party } : {}) });

describe('findScriptGroup', () => {
  it('two callers with one script are not yet a campaign; a third makes one, reached through the second (A~B, B~C, not A~C)', async () => {
    const a = base;
    const b = vary(a, range(0, 20), 1);
    const c = vary(b, range(40, 60), 2);
    const idx = memoryScriptIndex([script('+1A', a), script('+1B', b), script('+1X', unrelated(1))]);
    assert.equal((await findScriptGroup(idx, '+1B')).group, undefined);
    const sc = script('+1C', c);
    idx.add(sc);
    const { group, links } = await findScriptGroup(idx, '+1C', [sc]);
    assert.ok(group);
    assert.deepEqual(group.members, ['+1A', '+1B', '+1C']);
    assert.deepEqual(group.evidence, [{ kind: 'script', count: 2 }]);
    assert.deepEqual(links.map((l) => [l.a.caller, l.b.caller]), [['+1C', '+1B'], ['+1B', '+1A']]);
    assert.ok([...group.kinds.values()].every((k) => k.has('script')));
  });

  it('a caller matching one member of a known campaign joins it with that member; the walk stops at members', async () => {
    const idx = memoryScriptIndex();
    const members = ['+2M1', '+2M2', '+2M3', '+2M4'];
    members.forEach((m, i) => (idx.add(script(m, vary(base, range(0, 10), 10 + i))), idx.join(m, { campaignId: 'camp-1', members: 4 })));
    // A caller only M4's other script ties to: reached only through the campaign, so not walked to.
    idx.add(script('+2M4', vary(unrelated(2), range(0, 5), 3)));
    idx.add(script('+2Z', vary(unrelated(2), range(5, 10), 4)));
    const s = script('+2N', vary(base, range(30, 40), 5));
    idx.add(s);
    const r = await findScriptGroup(idx, '+2N', [s]);
    assert.ok(r.group);
    assert.deepEqual(r.group.members, ['+2M1', '+2M2', '+2M3', '+2M4', '+2N']);
    assert.deepEqual([...r.touched], [['camp-1', 4]]);
    assert.deepEqual(idx.walked, ['+2N'], 'only the new caller is read; members are not walked through');
  });

  it('one match with a campaign member is enough, whatever the size of the campaign (its members count)', async () => {
    const idx = memoryScriptIndex([script('+3M', base)]);
    idx.join('+3M', { campaignId: 'c3', members: 2 });
    const s = script('+3N', vary(base, range(0, 20), 6));
    idx.add(s);
    assert.deepEqual((await findScriptGroup(idx, '+3N')).group?.members, ['+3M', '+3N']);
  });

  it('a member with a new script looks up only that script (its older ones were looked up when they came)', async () => {
    const idx = memoryScriptIndex([script('+4M', unrelated(4)), script('+4P', base), script('+4Q', vary(base, range(0, 12), 7))]);
    idx.join('+4M', { campaignId: 'c4', members: 3 });
    const fresh = script('+4M', vary(base, range(50, 64), 8));
    idx.add(fresh);
    const r = await findScriptGroup(idx, '+4M', [fresh]);
    assert.deepEqual(idx.walked, ['+4P', '+4Q'], 'the new candidates are walked, the member itself is not reread');
    assert.deepEqual(r.group?.members, ['+4M', '+4P', '+4Q']);
  });

  it('attack: one organisation\'s guard scripts tie no one; a second organisation following the same caller makes them count', async () => {
    const idx = memoryScriptIndex();
    for (let i = 0; i < 5; i++) idx.add(script(`+5V${i}`, vary(base, range(0, 10), 20 + i), 'app-evil'));
    const s = script('+5V9', vary(base, range(10, 20), 30), 'app-evil');
    idx.add(s);
    assert.equal((await findScriptGroup(idx, '+5V9', [s])).group, undefined);
    // Honeypot scripts (no party) count alone, but still not the uncorroborated guard ones.
    const h = script('+5H', base);
    idx.add(h);
    assert.equal((await findScriptGroup(idx, '+5H', [h])).links.length, 0);
    // Three callers each followed by two organisations: corroborated, they group.
    for (const c of ['+5V0', '+5V1']) idx.add(script(c, unrelated(50), 'carrier-b'));
    const r = await findScriptGroup(idx, '+5H', [h]);
    assert.deepEqual(r.group?.members, ['+5H', '+5V0', '+5V1']);
  });

  it("attack: one organisation's flood of guard scripts for a number on the walk is not read when the walk passes it", async () => {
    // +8B is tied to +8A by a honeypot script; one organisation files 300 guard calls for +8B.
    const idx = memoryScriptIndex([script('+8A', base), script('+8B', vary(base, range(0, 15), 60)), script('+8C', vary(base, range(40, 55), 61))]);
    const flood = Array.from({ length: 300 }, (_, i) => script('+8B', unrelated(100 + i), 'app-evil'));
    idx.add(...flood);
    const fresh = script('+8N', vary(base, range(20, 35), 62));
    idx.add(fresh);
    const r = await findScriptGroup(idx, '+8N');
    assert.deepEqual(r.group?.members, ['+8A', '+8B', '+8C', '+8N']);
    assert.ok(idx.walked.includes('+8B'), 'the walk passed through +8B');
    const floodRead = idx.ownRead.filter((x) => x.party === 'app-evil').length;
    assert.equal(floodRead, 0, `the uncounted guard scripts were read (${floodRead} of ${flood.length})`);
    // A second organisation following +8B makes its guard scripts count, and they are read then:
    // its honeypot script first, then the newest, MAX_SCRIPTS_PER_CALLER in all.
    const second = script('+8B', unrelated(999), 'carrier-b');
    idx.add(second);
    const before = idx.ownRead.length;
    await findScriptGroup(idx, '+8N');
    const read = idx.ownRead.slice(before).filter((x) => x.caller === '+8B');
    assert.equal(read.length, MAX_SCRIPTS_PER_CALLER);
    assert.equal(read[0]!.party, undefined, 'the honeypot script first');
    assert.equal(read[1]!.id, second.id, 'then the newest');
    assert.deepEqual(read.slice(2).map((x) => x.id), flood.slice(-(MAX_SCRIPTS_PER_CALLER - 2)).reverse().map((x) => x.id));
  });

  it('a corroborated number with thousands of readings of one script: a bounded read, and its campaign is still found', async () => {
    // +9B's conversation-guard calls from two organisations: 3,000 readings of the campaign script
    // (each a little different, as speech recognition makes them), also tying it to +9A and +9C.
    const idx = memoryScriptIndex([script('+9A', base), script('+9C', vary(base, range(40, 55), 71))]);
    idx.add(...Array.from({ length: 3000 }, (_, i) => script('+9B', vary(base, [i % 64], 72 + i), i % 2 ? 'carrier-a' : 'bank-b')));
    const fresh = script('+9N', vary(base, range(20, 35), 70));
    idx.add(fresh);
    const r = await findScriptGroup(idx, '+9N', [fresh]);
    assert.deepEqual(r.group?.members, ['+9A', '+9B', '+9C', '+9N']);
    const read = idx.ownRead.filter((x) => x.caller === '+9B').length;
    assert.ok(read <= 100, `+9B's scripts read: ${read} of 3,000`);
  });

  it('a caller whose guard scripts just became corroborated brings its older ones (fresh left out)', async () => {
    const idx = memoryScriptIndex([script('+6A', base), script('+6B', vary(base, range(0, 15), 40))]);
    idx.add(script('+6C', vary(base, range(20, 35), 41), 'app-a'));
    const second = script('+6C', unrelated(6), 'carrier-b');
    idx.add(second);
    assert.deepEqual((await findScriptGroup(idx, '+6C')).group?.members, ['+6A', '+6B', '+6C']);
  });

  it('no script, no keys, or no match: nothing to merge', async () => {
    const idx = memoryScriptIndex([script('+7A', base)]);
    assert.equal((await findScriptGroup(idx, '+7Z')).group, undefined);
    const short = script('+7S', []);
    idx.add(short);
    assert.equal((await findScriptGroup(idx, '+7S', [short])).group, undefined);
  });
});

describe('findScriptGroup over a script read thousands of times (pages of CANDIDATES_PER_KEY a band key)', () => {
  let seed = 11;
  const rand = (): number => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
  /** One reading of the base script: three random rows changed (similar to every other reading). */
  const reading = (caller: string, id: string, party?: string): IndexedScript => {
    const rows = [0, 1, 2].map(() => Math.floor(rand() * MINHASH_SIZE));
    return { id, caller, fingerprint: vary(base, rows, Math.floor(rand() * 1e6)), at: 1, ...(party ? { party } : {}) };
  };
  const perKey = (pages: { key: number }[]) => {
    const n = new Map<number, number>();
    for (const p of pages) n.set(p.key, (n.get(p.key) ?? 0) + 1);
    return Math.max(...n.values());
  };

  it('a new caller joins the campaign of 5,000 readings after one page a band key, not 5,000 rows', async () => {
    const idx = memoryScriptIndex();
    const pool = Array.from({ length: 40 }, (_, i) => `+8M${String(i).padStart(2, '0')}`);
    for (let i = 0; i < 5_000; i++) idx.add(reading(pool[i % 40]!, `h${String(i).padStart(5, '0')}`));
    for (const m of pool) idx.join(m, { campaignId: 'camp-8', members: 40 });
    const s = reading('+8N', 'h99999');
    idx.add(s);
    const r = await findScriptGroup(idx, '+8N', [s]);
    assert.deepEqual([...r.touched], [['camp-8', 40]]);
    assert.ok(r.group?.members.includes('+8N') && r.group.members.length > 1);
    assert.equal(perKey(idx.pages), 1, 'campaign members end a key after its first page');
    const read = new Set(idx.pages.flatMap((p) => p.ids));
    assert.ok(read.size <= LSH_BANDS * CANDIDATES_PER_KEY && read.size < 1_000, `${read.size} of 5,000 readings read`);
  });

  it('callers outside any campaign are read on for one more page; a page of callers already seen ends the key', async () => {
    const idx = memoryScriptIndex();
    for (let i = 0; i < 600; i++) idx.add(reading(i % 2 ? '+9A' : '+9B', `h${String(i).padStart(5, '0')}`));
    const s = reading('+9X', 'h99999');
    idx.add(s);
    const r = await findScriptGroup(idx, '+9X', [s]);
    assert.deepEqual(r.group?.members, ['+9A', '+9B', '+9X']);
    // First step (from +9X): two pages a key at most. The walk then goes on from +9A and +9B (their keys, except themselves): nothing left.
    const first = idx.pages.filter((p) => p.except.length === 1);
    assert.equal(perKey(first), 2, 'the first page brings +9A and +9B, the second only them again');
    assert.ok(new Set(idx.pages.flatMap((p) => p.ids)).size < 600, 'not every reading');
  });

  it("attack: one organisation's uncorroborated guard scripts crowding a key's first pages do not hide the honeypot readings behind them", async () => {
    const idx = memoryScriptIndex();
    // The flood sorts first (ids descending), each from a fresh number, all one organisation's.
    const flood = Array.from({ length: 400 }, (_, i) => reading(`+10F${i}`, `z${String(i).padStart(5, '0')}`, 'app-evil'));
    idx.add(...flood);
    idx.add(reading('+10P', 'h00001'), reading('+10Q', 'h00002'));
    const s = reading('+10X', 'h00003');
    idx.add(s);
    const r = await findScriptGroup(idx, '+10X', [s]);
    assert.deepEqual(r.group?.members, ['+10P', '+10Q', '+10X']);
    // From the new script (the walk's first step), under every key each flood reading that holds it was read.
    const first = idx.pages.filter((p) => p.except.length === 1);
    for (const key of new Set(first.map((p) => p.key))) {
      const read = first.filter((p) => p.key === key).flatMap((p) => p.ids).filter((id) => id.startsWith('z'));
      assert.equal(read.length, flood.filter((f) => scriptBandKeys(f.fingerprint).includes(key)).length, 'the flood is read through, not taken as the end');
    }
    assert.ok(perKey(first) <= 6, `in pages that double (${perKey(first)} pages a key)`);
  });
});
