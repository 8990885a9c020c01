// packages/client against a real server on loopback: screen, report, feedback, the private range
// look-up with its local cache, the conversation guard's events, and block-list sync (whole, then
// a delta, checked against the signed manifest with the pinned key).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { CallshieldApiError, createClient } from '../../packages/client/src/index.js';

let t: TestServer;
before(async () => {
  t = await startTestServer({ blocklistSeconds: 0 });
  const res = await t.call('POST', '/v1/lists', { role: 'police', body: { name: 'Case C', category: 'fraud', entries: [{ identifier: '+8613100131000' }, { identifier: '+8613100131002' }] } });
  assert.equal(res.status, 201);
});
after(async () => {
  await t?.close();
});

describe('@callshield/client', () => {
  it('screens, reports and says not spam; a bad call is a CallshieldApiError naming the field', async () => {
    const c = createClient({ baseUrl: t.url, key: t.keys.app });
    const d = await c.screen({ caller: '+8613100131000', callee: '+8613800138000', channel: 'pstn' });
    assert.equal(d.action, 'block');
    const r = await c.report({ caller: '+8613900139999', reporter: 'sub-1', category: 'fraud' });
    assert.ok(r);
    assert.ok(await c.feedback({ caller: '+8613900139999', reporter: 'sub-2' }));
    await assert.rejects(c.screen({ caller: '+8613100131000', callee: '', channel: 'pstn' }), (err: unknown) => err instanceof CallshieldApiError && err.status === 400 && err.field === 'callee');
  });

  it('looks up privately: finds a listed number, nothing for another, and asks once per prefix', async () => {
    let asked = 0;
    const counting: typeof fetch = (input, init) => {
      if (String(input).includes('/v1/lookup/range/')) asked++;
      return fetch(input, init);
    };
    const c = createClient({ baseUrl: t.url, key: t.keys.carrier, fetch: counting });
    const hit = await c.lookupPrivately('+8613100131000');
    assert.equal(hit?.action, 'block');
    assert.equal(hit?.label, 'Confirmed fraud · police list');
    assert.equal(await c.lookupPrivately('+8613100131000'), hit ?? null);
    assert.equal(asked, 1, 'the second look-up came from the cache');
    assert.equal(await c.lookupPrivately('+8613800138000'), null);
    assert.equal(asked, 2);
    assert.equal(c.rangeCacheSize(), 2);
  });

  it('follows a call: alerts and the end arrive as events', async () => {
    const c = createClient({ baseUrl: t.url, key: t.keys.app });
    assert.equal((await t.call('PUT', '/v1/subscribers/%2B8613800138001/policy', { role: 'app', body: {} })).status, 200);
    const call = await c.startCall({ caller: 'scammer@icloud.com', callee: '+8613800138001', channel: 'video' });
    const alerts: unknown[] = [];
    const followed = c.followCall(call.callId, { onAlert: (a) => alerts.push(a) });
    await new Promise((r) => setTimeout(r, 100));
    await c.sendUtterance(call.callId, { speaker: 'caller', text: '我是公安局的，你涉嫌洗钱，请您下载腾讯会议，然后打开屏幕共享，把钱转到安全账户' });
    await c.endCall(call.callId);
    const summary = await followed.ended;
    assert.ok(alerts.length >= 1, 'at least one alert event');
    assert.ok('risk' in summary);
  });

  it('syncs the block list: whole, then a delta, verified against the signed manifest', async () => {
    const c = createClient({ baseUrl: t.url, key: t.keys.app });
    const key = (await (await fetch(`${t.url}/v1/blocklist/signing-key`)).json()) as { publicKey: string };
    const first = await c.syncBlocklist(undefined, { verifyKey: key.publicKey });
    assert.deepEqual([...first.entries.keys()].sort(), ['+8613100131000', '+8613100131002']);
    await t.call('POST', '/v1/lists', { role: 'police', body: { name: 'Case D', category: 'fraud', entries: [{ identifier: '+8613100131003' }] } });
    const second = await c.syncBlocklist(first, { verifyKey: key.publicKey });
    assert.ok(second.version > first.version);
    assert.deepEqual([second.added, second.removed], [1, 0]);
    assert.equal(second.entries.size, 3);
    assert.equal(first.entries.size, 2, 'the old state is left as it was');
    // A key that did not sign the manifest is refused.
    const other = Buffer.alloc(32, 7).toString('base64url');
    await assert.rejects(c.syncBlocklist(second, { verifyKey: other }));
  });
});
