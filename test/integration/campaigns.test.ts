// Campaigns over HTTP (issue 15): call records group rotating numbers into campaigns, GET
// /v1/campaigns and /v1/campaigns/{id} show them to police, regulators and carriers (others 403),
// and a new number whose honeypot transcript matches a known campaign's script joins it and
// inherits its risk at once (reason CAMPAIGN).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(async () => {
  await t?.close();
});

const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const HEADER = 'caller,callee,start,duration,answered,attestation';

describe('campaigns', () => {
  let fromRecords: string;

  it('rotating numbers sharing callees in call records become one campaign with members, times and evidence', async () => {
    const targets = Array.from({ length: 40 }, (_, i) => `+86139${String(50000000 + i * 37)}`);
    const base = Date.now() - 5 * 3_600_000;
    const lines = [HEADER];
    for (let n = 0; n < 6; n++) {
      const caller = `+8617260000${String(n).padStart(3, '0')}`;
      for (let j = 0; j < 12; j++) lines.push(`${caller},${targets[(n * 5 + j * 3) % targets.length]},${iso(base + n * 900_000 + j * 40_000)},5,0,B`);
    }
    const r = await t.call('POST', '/v1/cdr', { role: 'carrier', raw: `${lines.join('\n')}\n`, contentType: 'text/csv' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.campaigns.found, 1);
    const list = await t.call('GET', '/v1/campaigns', { role: 'police' });
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 1);
    const c = list.body.items[0];
    assert.equal(c.memberCount, 6);
    assert.ok(c.evidence.some((e: { kind: string }) => e.kind === 'shared-callees'));
    fromRecords = c.id;
    const one = await t.call('GET', `/v1/campaigns/${c.id}`, { role: 'regulator' });
    assert.equal(one.status, 200);
    assert.equal(one.body.members.length, 6);
    assert.ok(one.body.members.every((m: { kinds: string[] }) => m.kinds.includes('short-lived')));
    assert.ok(one.body.firstSeen <= one.body.lastSeen);
    const rep = await t.call('GET', `/v1/identifiers/${encodeURIComponent(one.body.members[0].caller)}`, { role: 'carrier' });
    assert.ok(rep.body.reasons.some((x: { code: string }) => x.code === 'CAMPAIGN'), JSON.stringify(rep.body));
  });

  it('only police, regulators, carriers and admins see campaigns; an unknown id is 404', async () => {
    for (const role of ['platform', 'bank', 'app', 'business'] as const) assert.equal((await t.call('GET', '/v1/campaigns', { role })).status, 403, role);
    const r = await t.call('GET', '/v1/campaigns/no-such-campaign', { role: 'police' });
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'CAMPAIGN_NOT_FOUND');
    assert.ok(fromRecords);
  });

  it('a new number reading a known campaign\'s script on a honeypot line joins it and inherits its risk at once', async () => {
    const line = '+8613700900001';
    assert.equal((await t.call('POST', '/v1/honeypots', { role: 'carrier', body: { numbers: [line] } })).status, 201);
    const script = 'Hello, this is the customs office. A parcel in your name holds illegal goods; to avoid arrest transfer the deposit of 5000 yuan to the safe account now';
    for (let i = 0; i < 3; i++) {
      const r = await t.call('POST', '/v1/honeypots/transcripts', { role: 'carrier', body: { number: line, caller: `+861727000000${i}`, text: script.replace('5000', String(3000 + i)) } });
      assert.equal(r.status, 201);
    }
    const before = (await t.call('GET', '/v1/campaigns', { role: 'police' })).body.items.find((c: { evidence: { kind: string }[] }) => c.evidence.some((e) => e.kind === 'script'));
    assert.ok(before, 'the three callers form a campaign');
    assert.equal(before.memberCount, 3);
    const newcomer = '+8617270000099';
    const r = await t.call('POST', '/v1/honeypots/transcripts', { role: 'carrier', body: { number: line, caller: newcomer, text: script.replace('5000', '8000') } });
    assert.equal(r.status, 201);
    const after = await t.call('GET', `/v1/campaigns/${before.id}`, { role: 'police' });
    assert.equal(after.body.memberCount, 4);
    assert.ok(after.body.members.some((m: { caller: string; kinds: string[] }) => m.caller === newcomer && m.kinds.includes('script')));
    const rep = await t.call('GET', `/v1/identifiers/${encodeURIComponent(newcomer)}`, { role: 'carrier' });
    const reason = rep.body.reasons.find((x: { code: string }) => x.code === 'CAMPAIGN');
    assert.ok(reason, JSON.stringify(rep.body));
    assert.match(reason.text, /4 numbers tied by the same script/);
  });
});
