// Attacks on keys and money (docs/security.md, "People behind keys, key lifecycle, rate limits,
// two-person rules"): each `it` tries one against running servers and names it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startTestServer } from '../../helpers/server.js';
import { assertContract } from '../../helpers/openapi-contract.js';
import type { TestServer } from '../../helpers/server.js';
import { spawnServiceNode } from '../../helpers/spawn-node.js';
import type { ServiceNode } from '../../helpers/spawn-node.js';
import { createApiKey } from '../../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../../src/operations/actor.js';

const REDIS_URL = process.env.CALLSHIELD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisUp(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

async function request(url: string, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  const out = { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, text };
  await assertContract(url, method, path, out);
  return out;
}

/** Asks `probe` until `done` holds (5 s at most: a revocation must reach every node within about a second). */
async function until<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() - started > 5000) assert.fail(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The storage of a node that is not the test server: the same SQLite file or PostgreSQL database. */
function nodeEnv(t: TestServer, extra: Record<string, string> = {}): Record<string, string> {
  const store: Record<string, string> = t.ctx.config.databaseUrl ? { DATABASE_URL: t.ctx.config.databaseUrl } : { CALLSHIELD_DB: t.dbPath };
  // The same deployment: the same secret file and audit key as the test server.
  const { secretFile, auditKeyFile } = t.ctx.config;
  return { ...store, ...(secretFile ? { CALLSHIELD_SECRET_FILE: secretFile } : {}), ...(auditKeyFile ? { CALLSHIELD_AUDIT_KEY_FILE: auditKeyFile } : {}), LOG_LEVEL: 'error', ...extra };
}

const FREEZE = { caseNumber: 'ABUSE-11A-1', amount: 50_000, currency: 'CNY', legalBasis: 'emergency freeze and payment suspension' };

describe('abuse: keys and money', () => {
  let t: TestServer;
  let skew = 0; // moves the server's clock (key expiry)
  let police2: string; // a second officer of the same unit
  let policeTwin: string; // a second key of the first officer (police-officer-1)

  before(async () => {
    t = await startTestServer({}, () => Date.now() + skew);
    police2 = (await createApiKey(t.ctx, { org: 'Test police', role: 'police', person: 'police-officer-2' }, CLI_OPERATOR)).key;
    policeTwin = (await createApiKey(t.ctx, { org: 'Test police', role: 'police', person: 'police-officer-1', label: 'second device' }, CLI_OPERATOR)).key;
  });
  after(async () => {
    await t?.close();
  });

  async function fileFreeze(account: string): Promise<string> {
    const filed = await t.call('POST', '/v1/freezes', { role: 'police', body: { ...FREEZE, accounts: [{ account, bank: 'Test bank' }] } });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    return filed.body.id;
  }

  it('one person holding two keys approves their own freeze', async () => {
    const id = await fileFreeze('4111 1111 1111 1111');
    const res = await t.call('POST', `/v1/freezes/${id}/approve`, { auth: `Bearer ${policeTwin}` });
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(res.body.code, 'PAYMENTS_SAME_OFFICER');
    const seen = await t.call('GET', `/v1/freezes/${id}`, { role: 'police' });
    assert.equal(seen.body.status, 'pending');
    assert.equal(seen.body.filedBy, 'police-officer-1', 'the view names the person, not a key id');
    assert.equal(seen.body.approvedBy, null);
  });

  it('one officer alone releases an active freeze', async () => {
    const id = await fileFreeze('6011 0009 9013 9424');
    assert.equal((await t.call('POST', `/v1/freezes/${id}/approve`, { auth: `Bearer ${police2}` })).body.status, 'active');
    const first = await t.call('POST', `/v1/freezes/${id}/release`, { role: 'police', body: { reason: 'a bribe, not a reason' } });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.status, 'active', 'one officer alone only asks');
    assert.equal(first.body.releaseRequestedBy, 'police-officer-1');
    // The same person again, with their other key: still one person.
    const again = await t.call('POST', `/v1/freezes/${id}/release`, { auth: `Bearer ${policeTwin}`, body: { reason: 'again' } });
    assert.equal(again.status, 403, JSON.stringify(again.body));
    assert.equal(again.body.code, 'PAYMENTS_SAME_OFFICER');
    assert.equal((await t.call('GET', `/v1/freezes/${id}`, { role: 'police' })).body.status, 'active');
    const check = await t.call('POST', '/v1/transfers/check', { role: 'bank', body: { payer: 'abuse-payer', payeeAccount: '6011 0009 9013 9424', amount: 100, currency: 'CNY', channel: 'mobile' } });
    assert.equal(check.body.decision, 'block', 'the money stays frozen');
  });

  it('a transfer to an account under an active freeze', async () => {
    const account = '5500 0000 0000 0004';
    const body = { payer: 'abuse-payer-2', payeeAccount: account, amount: 100, currency: 'CNY', channel: 'mobile' };
    const id = await fileFreeze(account);
    const pending = await t.call('POST', '/v1/transfers/check', { role: 'bank', body });
    assert.notEqual(pending.body.decision, 'block', 'a pending freeze is not in effect yet');
    await t.call('POST', `/v1/freezes/${id}/approve`, { auth: `Bearer ${police2}` });
    const res = await t.call('POST', '/v1/transfers/check', { role: 'bank', body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.decision, 'block');
    assert.deepEqual(res.body.reasons.map((r: any) => r.code), ['FREEZE_ACTIVE']);
  });

  it('a revoked key still used on the same node', async () => {
    const { key, keyId } = await createApiKey(t.ctx, { org: 'Leaky app', role: 'app' }, CLI_OPERATOR);
    assert.equal((await t.call('GET', '/v1/me', { auth: `Bearer ${key}` })).status, 200); // now cached
    const revoked = await t.call('POST', `/v1/keys/${keyId}/revoke`, { role: 'admin', body: { reason: 'found in a public repository' } });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    assert.equal(revoked.body.status, 'revoked');
    const res = await t.call('GET', '/v1/me', { auth: `Bearer ${key}` });
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'AUTH_KEY_REVOKED');
    const audit = await t.call('GET', '/v1/audit?limit=1000', { role: 'admin' });
    const entry = audit.body.entries.find((e: any) => e.action === 'key.revoke' && e.subject === `key:${keyId}`);
    assert.ok(entry, 'the revocation is audited');
    assert.match(entry.actor, /admin-officer-1/, 'with the person who revoked');
  });

  it('a revoked key still used on the other node', async () => {
    const { key, keyId } = await createApiKey(t.ctx, { org: 'Leaky carrier', role: 'carrier' }, CLI_OPERATOR);
    const node = await spawnServiceNode(nodeEnv(t));
    try {
      const screen = () => request(node.url, key, 'POST', '/v1/screen', { caller: '+8613700001111', callee: '+8613800138000', channel: 'pstn' });
      assert.equal((await screen()).status, 200); // the other node now holds the key in its cache (30 s)
      assert.equal((await t.call('POST', `/v1/keys/${keyId}/revoke`, { role: 'admin' })).status, 200);
      const refused = await until('the other node still takes the revoked key', screen, (r) => r.status === 401);
      assert.equal(refused.body.code, 'AUTH_KEY_REVOKED');
    } finally {
      await node.stop();
    }
  });

  it('an expired key', async () => {
    const made = await t.call('POST', '/v1/keys', { role: 'admin', body: { org: 'Short-lived app', role: 'app', expires: '1h' } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.ok(made.body.expiresAt);
    const key = made.body.key as string;
    assert.equal((await t.call('GET', '/v1/me', { auth: `Bearer ${key}` })).status, 200);
    skew = 2 * 3_600_000;
    try {
      const res = await t.call('GET', '/v1/me', { auth: `Bearer ${key}` });
      assert.equal(res.status, 401);
      assert.equal(res.body.code, 'AUTH_KEY_EXPIRED');
      assert.match(res.body.detail, /expired at \d{4}-/);
      assert.equal(res.body.field, 'authorization');
    } finally {
      skew = 0;
    }
  });

  describe('a flood beyond the rate limit', () => {
    let small: TestServer;
    before(async () => {
      small = await startTestServer({ rateLimit: 5 });
    });
    after(async () => {
      await small?.close();
    });

    it('a flood beyond the rate limit of one key gets 429 problem+json with Retry-After', async () => {
      // 16 requests at once: even spread over two one-second windows at most 10 pass.
      const all = await Promise.all(Array.from({ length: 16 }, () => small.call('GET', '/v1/me', { role: 'app' })));
      const refused = all.filter((r) => r.status === 429);
      assert.ok(refused.length >= 6, `statuses: ${all.map((r) => r.status).join(',')}`);
      const r = refused[0]!;
      assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(r.body.code, 'REQUEST_RATE_LIMITED');
      assert.ok(Number(r.headers.get('retry-after')) >= 1, 'Retry-After in seconds');
      // Another key has its own budget.
      assert.equal((await small.call('GET', '/v1/me', { role: 'carrier' })).status, 200);
    });

    it('a flood of made-up keys is counted by address before the store is asked', async () => {
      const fake = (i: number) => small.call('GET', '/v1/me', { auth: `Bearer csk_${String(i).padStart(43, 'B')}` });
      const all = await Promise.all(Array.from({ length: 16 }, (_, i) => fake(i)));
      assert.ok(all.some((r) => r.status === 429), `statuses: ${all.map((r) => r.status).join(',')}`);
      assert.ok(all.every((r) => r.status === 429 || r.status === 401));
    });
  });

  it('a flood beyond the rate limit spread over two nodes sharing Redis', async (ctx) => {
    if (!(await redisUp())) return ctx.skip(`Redis is not reachable at ${REDIS_URL}`);
    const LIMIT = 10;
    const { key } = await createApiKey(t.ctx, { org: 'Flooding platform', role: 'platform' }, CLI_OPERATOR);
    const env = nodeEnv(t, { CALLSHIELD_RATE_LIMIT: String(LIMIT), CALLSHIELD_REDIS_URL: REDIS_URL });
    const nodes: ServiceNode[] = await Promise.all([spawnServiceNode(env), spawnServiceNode(env)]);
    try {
      // LIMIT + 1 requests, alternating nodes: neither node alone sees more than LIMIT, so only a
      // count shared through Redis refuses one. A burst that happens to straddle two one-second
      // windows may pass whole; then wait for a fresh window and try again.
      let statuses: number[] = [];
      let refused: { status: number; headers: Headers; body: any } | undefined;
      for (let attempt = 0; attempt < 5 && !refused; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, 1100));
        const all = await Promise.all(Array.from({ length: LIMIT + 1 }, (_, i) => request(nodes[i % 2]!.url, key, 'GET', '/v1/me')));
        statuses = all.map((r) => r.status);
        refused = all.find((r) => r.status === 429);
      }
      assert.ok(refused, `no request refused: ${statuses.join(',')}`);
      assert.equal(refused.body.code, 'REQUEST_RATE_LIMITED');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.ok(statuses.filter((s) => s === 200).length <= LIMIT, statuses.join(','));
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
    }
  });
});
