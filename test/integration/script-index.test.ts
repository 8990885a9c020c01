// The script fingerprint index (issue 15, migration 0028) through the real store, on SQLite and
// PostgreSQL: a honeypot transcript and a conversation-guard call are indexed with their band keys
// in the same write (the guard call with its fingerprint only, never the words); a caller tied to a
// campaign only through a caller outside any campaign is found by walking the index; honeypot and
// guard scripts share one index, and one organisation's guard calls still tie no one.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { LSH_BANDS, MAX_SCRIPTS_PER_CALLER, scriptBandKeys, similarity } from '../../src/campaigns/index.js';
import { indexScripts, scriptIndexOf } from '../../src/store/campaigns/script-index.js';
import { chained } from '../helpers/script-texts.js';

let t: TestServer;
const LINE = '+8613700700001';
before(async () => {
  t = await startTestServer();
  assert.equal((await t.call('POST', '/v1/honeypots', { role: 'carrier', body: { numbers: [LINE] } })).status, 201);
});
after(async () => {
  await t?.close();
});


const transcript = async (caller: string, text: string) => {
  const r = await t.call('POST', '/v1/honeypots/transcripts', { role: 'carrier', body: { number: LINE, caller, text } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { id: string; shingles: number };
};
const scriptCampaigns = async () => ((await t.call('GET', '/v1/campaigns', { role: 'police' })).body.items as { id: string; memberCount: number; evidence: { kind: string }[] }[]).filter((c) => c.evidence.some((e) => e.kind === 'script'));
const membersOf = async (id: string) => ((await t.call('GET', `/v1/campaigns/${id}`, { role: 'police' })).body.members as { caller: string }[]).map((m) => m.caller).sort();

describe('script fingerprint index', () => {
  it('a transcript is stored with its fingerprint and one band key per band, in the same write', async () => {
    const r = await transcript('+8617080000001', chained(0));
    const row = await t.ctx.db.selectFrom('script_fingerprints').selectAll().where('id', '=', `honeypot:${r.id}`).executeTakeFirstOrThrow();
    assert.equal(row.caller, '+8617080000001');
    assert.equal(row.party, null);
    assert.equal(JSON.parse(row.fingerprint).length, 64);
    const bands = await t.ctx.db.selectFrom('script_bands').select('band').where('script_id', '=', row.id).execute();
    assert.equal(bands.length, LSH_BANDS);
  });

  it('a caller tied to two others only through a third outside any campaign is found by the walk (A~B, B~C, not A~C)', async () => {
    const index = scriptIndexOf(t.ctx.db);
    await transcript('+8617080000002', chained(1));
    assert.equal((await scriptCampaigns()).length, 0, 'two callers are not a campaign');
    const [sa] = await index.scriptsOf(['+8617080000001']);
    const [sb] = await index.scriptsOf(['+8617080000002']);
    await transcript('+8617080000003', chained(2));
    const [sc] = await index.scriptsOf(['+8617080000003']);
    assert.ok(similarity(sa!.fingerprint, sc!.fingerprint) < 0.6 && similarity(sb!.fingerprint, sc!.fingerprint) >= 0.6, 'the chain holds');
    const found = await scriptCampaigns();
    assert.equal(found.length, 1);
    assert.deepEqual(await membersOf(found[0]!.id), ['+8617080000001', '+8617080000002', '+8617080000003']);
  });

  const WORDS = ['You have won the grand prize in the provincial lottery draw, congratulations.', 'To release the prize pay the handling fee by card now and read me the number on the back.'];
  const guard = async (role: 'app' | 'carrier', caller: string) => {
    const c = await t.call('POST', '/v1/calls', { role, body: { caller, callee: '+8613800138000', lang: 'en' } });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    for (const text of WORDS) assert.equal((await t.call('POST', `/v1/calls/${c.body.callId}/utterances`, { role, body: { speaker: 'caller', text } })).status, 200);
    assert.equal((await t.call('POST', `/v1/calls/${c.body.callId}/end`, { role })).status, 200);
    return c.body.callId as string;
  };

  it('a guard call is indexed with its organisation and its fingerprint only; the words are stored nowhere', async () => {
    const id = await guard('app', '+8617081000001');
    const row = await t.ctx.db.selectFrom('script_fingerprints').selectAll().where('id', '=', `guard:${id}`).executeTakeFirstOrThrow();
    assert.ok(row.party && row.party.length > 0);
    assert.equal(JSON.parse(row.fingerprint).length, 64);
    const call = await t.ctx.db.selectFrom('guard_calls').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    for (const value of [...Object.values(row), ...Object.values(call)]) assert.ok(!String(value).includes('lottery'), `text stored: ${String(value).slice(0, 80)}`);
  });

  it("attack: one app's guard calls and a honeypot transcript of the same words tie no one", async () => {
    for (const c of ['+8617081000002', '+8617081000003']) await guard('app', c);
    await transcript('+8617081000009', WORDS.join(' '));
    assert.equal((await scriptCampaigns()).length, 1, 'only the campaign of the chain');
  });

  it('once a second organisation follows those callers, a honeypot transcript joins them in one campaign (one index for both kinds)', async () => {
    for (const c of ['+8617081000001', '+8617081000002']) await guard('carrier', c);
    const found = await scriptCampaigns();
    assert.equal(found.length, 2, JSON.stringify(found));
    const mine = [];
    for (const c of found) if ((await membersOf(c.id)).includes('+8617081000009')) mine.push(c);
    assert.equal(mine.length, 1, JSON.stringify(found));
    assert.deepEqual(await membersOf(mine[0]!.id), ['+8617081000001', '+8617081000002', '+8617081000009'], '+…003 was followed by one app only');
  });
});

describe('script index candidates, a page per band key', () => {
  const at = () => new Date(t.ctx.now()).toISOString();
  const id = (i: number) => `honeypot:page-${String(i).padStart(3, '0')}`;
  const store = (fp: number[], ids: number[], callerOf: (i: number) => string) =>
    indexScripts(t.ctx.db, ids.map((i) => ({ id: id(i), source: 'honeypot' as const, caller: callerOf(i), party: null, fingerprint: JSON.stringify(fp), at: at() })));

  it('crowded keys: at most perKey rows a key, highest script id first, excepted callers skipped before the bound, then on after a cursor', async () => {
    const fp = Array.from({ length: 64 }, (_, i) => 880_000_000 + i);
    // 520 stored readings of one fingerprint (1,040 index rows under the two keys read); the ten with the highest ids are the excepted caller's.
    await store(fp, Array.from({ length: 520 }, (_, i) => i), (i) => (i >= 510 ? '+8617090000099' : `+86170800${String(i).padStart(5, '0')}`));
    const index = scriptIndexOf(t.ctx.db);
    const keys = scriptBandKeys(fp).slice(0, 2);
    const after = new Map<number, string>();
    const pages: string[][] = [];
    for (let p = 0; p < 3; p++) {
      const page = await index.candidates(keys, ['+8617090000099'], 200, after);
      assert.deepEqual(page.byKey.get(keys[0]!), page.byKey.get(keys[1]!), 'both keys hold the same scripts');
      const ids = [...page.byKey.get(keys[0]!)!];
      assert.deepEqual(page.scripts.map((s) => s.id).sort(), [...ids].sort(), 'each script once');
      pages.push(ids);
      for (const k of keys) after.set(k, ids.at(-1)!);
    }
    assert.deepEqual(pages.map((p) => p.length), [200, 200, 110]);
    assert.deepEqual(pages.flat(), Array.from({ length: 510 }, (_, i) => id(509 - i)));
    // Many keys at once (a caller's scripts' keys): paged in several statements, the same pages.
    const many = await index.candidates([...keys, ...Array.from({ length: 598 }, (_, i) => 1 + i)], ['+8617090000099'], 200);
    assert.deepEqual(many.byKey.get(keys[0]!), pages[0]);
    assert.deepEqual(many.byKey.get(keys[1]!), pages[0]);
    const s = (await index.candidates(keys, [], 1)).scripts;
    assert.deepEqual(s.map((x) => [x.id, x.caller, x.fingerprint.length]), [[id(519), '+8617090000099', 64]]);
  });

  it("scriptsOf reads a caller's guard scripts only when asked for them (guardOf): honeypot scripts always", async () => {
    const fp = Array.from({ length: 64 }, (_, i) => 770_000_000 + i);
    const caller = '+8617092000001';
    const other = '+8617092000002';
    await indexScripts(t.ctx.db, [
      { id: 'honeypot:own-1', source: 'honeypot' as const, caller, party: null, fingerprint: JSON.stringify(fp), at: at() },
      ...Array.from({ length: 40 }, (_, i) => ({ id: `guard:own-${i}`, source: 'guard' as const, caller, party: 'org-flood', fingerprint: JSON.stringify(fp), at: at() })),
      { id: 'guard:own-other', source: 'guard' as const, caller: other, party: 'org-a', fingerprint: JSON.stringify(fp), at: at() },
    ]);
    const index = scriptIndexOf(t.ctx.db);
    const ids = async (callers: string[], guardOf?: string[]) => (await index.scriptsOf(callers, guardOf)).map((x) => x.id).sort();
    assert.equal((await ids([caller, other])).length, 42, 'without guardOf: every script');
    assert.deepEqual(await ids([caller, other], []), ['honeypot:own-1'], 'no caller counted: honeypot scripts only');
    assert.deepEqual(await ids([caller, other], [other]), ['guard:own-other', 'honeypot:own-1']);
    assert.equal((await ids([caller, other], [caller])).length, 41);
  });

  it('scriptsOf reads at most MAX_SCRIPTS_PER_CALLER scripts a caller: its honeypot scripts first, then the newest', async () => {
    const fp = Array.from({ length: 64 }, (_, i) => 780_000_000 + i);
    const hot = '+8617093000001';
    const quiet = '+8617093000002';
    // 150 corroborated guard readings of the hot number, a second apart, and one honeypot script older than all of them.
    const readingAt = (i: number): string => new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString();
    await indexScripts(t.ctx.db, [
      { id: 'honeypot:hot-1', source: 'honeypot' as const, caller: hot, party: null, fingerprint: JSON.stringify(fp), at: readingAt(-1) },
      ...Array.from({ length: 150 }, (_, i) => ({ id: `guard:hot-${String(i).padStart(3, '0')}`, source: 'guard' as const, caller: hot, party: i % 2 ? 'org-a' : 'org-b', fingerprint: JSON.stringify(fp), at: readingAt(i) })),
      { id: 'guard:quiet-1', source: 'guard' as const, caller: quiet, party: 'org-a', fingerprint: JSON.stringify(fp), at: readingAt(0) },
    ]);
    const read = await scriptIndexOf(t.ctx.db).scriptsOf([hot, quiet], [hot, quiet]);
    const hotIds = read.filter((x) => x.caller === hot).map((x) => x.id).sort();
    const newest = Array.from({ length: MAX_SCRIPTS_PER_CALLER - 1 }, (_, i) => `guard:hot-${String(149 - i).padStart(3, '0')}`);
    assert.deepEqual(hotIds, [...newest, 'honeypot:hot-1'].sort(), 'the honeypot script and the newest readings');
    assert.deepEqual(read.filter((x) => x.caller === quiet).map((x) => x.id), ['guard:quiet-1'], 'another caller in the same statement keeps its own');
  });

  it('keys that hold few rows together (here 160) are read at once, excepted callers left out, no key left with more', async () => {
    const fp = Array.from({ length: 64 }, (_, i) => 990_000_000 + i);
    await store(fp, Array.from({ length: 80 }, (_, i) => 600 + i), (i) => (i >= 670 ? '+8617090000098' : `+86170910${String(i).padStart(5, '0')}`));
    const all = await scriptIndexOf(t.ctx.db).candidates(scriptBandKeys(fp).slice(0, 2), ['+8617090000098'], 16);
    assert.deepEqual(all.scripts.map((x) => x.id).sort(), Array.from({ length: 70 }, (_, i) => id(600 + i)));
    assert.equal(all.byKey.size, 0);
  });
});
