// Key lifecycle over HTTP on a real server: list, expiry, rotation with a grace period, revocation
// (an admin any key, any other key only itself), last use written at most once a minute, bad input.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

describe('key lifecycle', () => {
  let t: TestServer;
  let skew = 0;
  before(async () => {
    t = await startTestServer({}, () => Date.now() + skew);
  });
  after(async () => {
    await t?.close();
  });

  const me = (key: string) => t.call('GET', '/v1/me', { auth: `Bearer ${key}` });
  async function lastUsed(keyId: string): Promise<string | null> {
    const r = await t.ctx.db.selectFrom('api_keys').select('last_used_at').where('id', '=', keyId).executeTakeFirstOrThrow();
    return r.last_used_at;
  }
  async function waitForLastUsed(keyId: string, want: (v: string | null) => boolean): Promise<string | null> {
    const started = Date.now();
    for (;;) {
      const v = await lastUsed(keyId);
      if (want(v)) return v;
      if (Date.now() - started > 5000) assert.fail(`last_used_at still ${v}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('lists keys with organisation, role, person, prefix, times and status, never the key', async () => {
    const year = new Date().getUTCFullYear() + 2;
    const made = await t.call('POST', '/v1/keys', { role: 'admin', body: { org: 'Listed bank', role: 'bank', person: 'staff-42', label: 'fraud desk', expires: `${year}-12-31` } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.expiresAt, `${year + 1}-01-01T00:00:00.000Z`, 'a date is valid through that day (UTC)');
    const list = await t.call('GET', '/v1/keys?org=Listed%20bank', { role: 'admin' });
    assert.equal(list.status, 200);
    assert.equal(list.body.keys.length, 1);
    const k = list.body.keys[0];
    assert.deepEqual(
      { id: k.id, org: k.org, role: k.role, person: k.person, label: k.label, prefix: k.prefix, expiresAt: k.expiresAt, lastUsedAt: k.lastUsedAt, revokedAt: k.revokedAt, replacedBy: k.replacedBy, status: k.status },
      { id: made.body.keyId, org: 'Listed bank', role: 'bank', person: 'staff-42', label: 'fraud desk', prefix: made.body.key.slice(0, 8), expiresAt: `${year + 1}-01-01T00:00:00.000Z`, lastUsedAt: null, revokedAt: null, replacedBy: null, status: 'active' },
    );
    assert.ok(!JSON.stringify(list.body).includes(made.body.key));
    assert.equal((await t.call('GET', '/v1/keys', { role: 'bank' })).status, 403);
  });

  it('records the last use at most once a minute per key', async () => {
    const made = await t.call('POST', '/v1/keys', { role: 'admin', body: { org: 'Busy app', role: 'app' } });
    const { key, keyId } = made.body;
    assert.equal((await me(key)).status, 200);
    const first = await waitForLastUsed(keyId, (v) => v !== null);
    skew = 30_000;
    for (let i = 0; i < 5; i++) assert.equal((await me(key)).status, 200);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await lastUsed(keyId), first, 'no write within the minute');
    skew = 61_000;
    assert.equal((await me(key)).status, 200);
    const second = await waitForLastUsed(keyId, (v) => v !== first);
    assert.ok(Date.parse(second!) - Date.parse(first!) >= 60_000);
    skew = 0;
  });

  it('rotates: same organisation, role and person; the old key works through the grace period, then is refused', async () => {
    const made = await t.call('POST', '/v1/keys', { role: 'admin', body: { org: 'Rotating police', role: 'police', person: 'badge-9', expires: '90d' } });
    const old = made.body;
    const rotated = await t.call('POST', `/v1/keys/${old.keyId}/rotate`, { role: 'admin', body: { grace: '2h' } });
    assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
    assert.equal(rotated.body.person, 'badge-9');
    assert.equal(rotated.body.org.name, 'Rotating police');
    assert.equal(rotated.body.replaces, old.keyId);
    assert.ok(Math.abs(Date.parse(rotated.body.expiresAt) - (Date.now() + 90 * 86_400_000)) < 60_000, 'the new key gets the old lifetime again');
    assert.ok(Math.abs(Date.parse(rotated.body.oldKeyExpiresAt) - (Date.now() + 2 * 3_600_000)) < 60_000);
    const view = (await me(rotated.body.key)).body;
    assert.deepEqual([view.org, view.role, view.person], ['Rotating police', 'police', 'badge-9']);
    assert.equal((await me(old.key)).status, 200, 'still works in the grace period');
    const second = await t.call('POST', `/v1/keys/${old.keyId}/rotate`, { role: 'admin' });
    assert.equal(second.status, 409);
    assert.equal(second.body.code, 'REQUEST_CONFLICT');
    skew = 3 * 3_600_000;
    try {
      const refused = await me(old.key);
      assert.equal(refused.status, 401);
      assert.equal(refused.body.code, 'AUTH_KEY_EXPIRED');
      assert.equal((await me(rotated.body.key)).status, 200);
    } finally {
      skew = 0;
    }
    const audit = await t.call('GET', '/v1/audit?limit=1000', { role: 'admin' });
    const entry = audit.body.entries.find((e: any) => e.action === 'key.rotate' && e.subject === `key:${old.keyId}`);
    const details = JSON.parse(entry.details);
    assert.equal(details.newKeyId, rotated.body.keyId);
    assert.equal(details.person, 'badge-9');
    assert.match(entry.actor, /admin-officer-1/);
  });

  it('a key revokes itself; it may not revoke another key; an admin revokes any', async () => {
    const a = (await t.call('POST', '/v1/keys', { role: 'admin', body: { org: 'Self app', role: 'app' } })).body;
    const b = (await t.call('POST', '/v1/keys', { role: 'admin', body: { org: 'Self app', role: 'app' } })).body;
    const other = await t.call('POST', `/v1/keys/${b.keyId}/revoke`, { auth: `Bearer ${a.key}` });
    assert.equal(other.status, 404);
    assert.equal(other.body.code, 'KEY_NOT_FOUND');
    assert.equal((await me(b.key)).status, 200);
    const self = await t.call('POST', `/v1/keys/${a.keyId}/revoke`, { auth: `Bearer ${a.key}`, body: { reason: 'pasted into a chat' } });
    assert.equal(self.status, 200, JSON.stringify(self.body));
    assert.equal((await me(a.key)).body.code, 'AUTH_KEY_REVOKED');
    const again = await t.call('POST', `/v1/keys/${b.keyId}/revoke`, { role: 'admin' });
    assert.equal(again.body.status, 'revoked');
    assert.equal((await t.call('POST', `/v1/keys/${b.keyId}/revoke`, { role: 'admin' })).status, 200, 'revoking twice changes nothing');
    const audit = await t.call('GET', '/v1/audit?limit=1000', { role: 'admin' });
    const revokes = audit.body.entries.filter((e: any) => e.action === 'key.revoke' && (e.subject === `key:${a.keyId}` || e.subject === `key:${b.keyId}`));
    assert.deepEqual(revokes.map((e: any) => [e.subject, JSON.parse(e.details).self]), [[`key:${a.keyId}`, true], [`key:${b.keyId}`, false]]);
  });

  it('refuses bad expiries and grace periods, naming the field, and writes nothing', async () => {
    const before = (await t.call('GET', '/v1/keys', { role: 'admin' })).body.keys.length;
    for (const expires of ['yesterday', '2001-01-01', '0', '-5d', '100000d', '2030-02-30', '2030-01-01T10:00:00']) {
      const r = await t.call('POST', '/v1/keys', { role: 'admin', body: { org: 'Bad expiry', role: 'app', expires } });
      assert.equal(r.status, 400, `${expires}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 'AUTH_INVALID_EXPIRY', expires);
      assert.equal(r.body.field, 'expires');
    }
    const k = (await t.call('POST', '/v1/keys', { role: 'admin', body: { org: 'Grace app', role: 'app' } })).body;
    for (const grace of ['forever', '31d', '1y', '-1h']) {
      const r = await t.call('POST', `/v1/keys/${k.keyId}/rotate`, { role: 'admin', body: { grace } });
      assert.equal(r.status, 400, grace);
      assert.equal(r.body.field, 'grace');
    }
    assert.equal((await t.call('POST', '/v1/keys/not-a-uuid/revoke', { role: 'admin' })).body.code, 'KEY_NOT_FOUND');
    assert.equal((await t.call('POST', `/v1/keys/${k.keyId}/rotate`, { role: 'admin', body: { extra: 1 } })).body.code, 'REQUEST_UNKNOWN_FIELD');
    assert.equal((await t.call('GET', '/v1/keys', { role: 'admin' })).body.keys.length, before + 1);
    assert.equal((await me(k.key)).status, 200, 'the refused rotations left the key as it was');
  });
});
