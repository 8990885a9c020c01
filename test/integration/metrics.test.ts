// /metrics: Prometheus text with request and decision counters; behind an admin key when
// CALLSHIELD_PUBLIC_METRICS is off.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';

describe('metrics', () => {
  it('counts requests and screening decisions by action', async () => {
    const t = await startTestServer();
    try {
      await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller: 'stranger@example.com', callee: '+8613800138000', channel: 'video' } });
      const r = await fetch(`${t.url}/metrics`);
      assert.equal(r.status, 200);
      const text = await r.text();
      assert.match(text, /callshield_screening_decisions_total\{action="allow",channel="video"\} 1/);
      assert.match(text, /callshield_http_requests_total\{route="\/v1\/screen",method="POST",status="200"\} 1/);
      assert.match(text, /callshield_http_request_duration_seconds_bucket/);
    } finally {
      await t.close();
    }
  });

  it('needs an admin key when not public', async () => {
    const t = await startTestServer({ publicMetrics: false });
    try {
      assert.equal((await fetch(`${t.url}/metrics`)).status, 401);
      assert.equal((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${t.keys.carrier}` } })).status, 403);
      assert.equal((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${t.keys.admin}` } })).status, 200);
    } finally {
      await t.close();
    }
  });
});
