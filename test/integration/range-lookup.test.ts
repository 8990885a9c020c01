// GET /v1/lookup/range/{prefix}: the private look-up over HTTP on a real SQLite file. A police list
// and crowd reports fill the index; the answer lists them by hash suffix among decoys, the same for
// the same prefix, for the roles the issue names; and no log line carries the prefix.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { loadConfig } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import { buildServer } from '../../src/api/server.js';
import { extraRoutes } from '../../src/api/extra-routes.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
let t: TestServer;

before(async () => {
  t = await startTestServer();
  const res = await t.call('POST', '/v1/lists', { role: 'police', body: { name: 'Case 9', category: 'fraud', entries: [{ identifier: '+8613100131000' }, { identifier: 'Scam.Desk@Example.com' }, { identifier: 'account:zoom:8841203' }] } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
});
after(async () => {
  await t?.close();
});

describe('GET /v1/lookup/range/{prefix}', () => {
  it('finds a listed number, e-mail and account by the rest of their hash, among decoys', async () => {
    for (const canonical of ['+8613100131000', 'scam.desk@example.com', 'account:zoom:8841203']) {
      const h = sha(canonical);
      const res = await t.call('GET', `/v1/lookup/range/${h.slice(0, 5)}`, { role: 'app' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.prefix, h.slice(0, 5));
      const n = res.body.entries.length;
      assert.ok(n >= 32 && (n & (n - 1)) === 0, `size ${n} is a power of two >= 32`);
      const mine = res.body.entries.find((e: { suffix: string }) => e.suffix === h.slice(5));
      assert.ok(mine, canonical);
      assert.equal(mine.action, 'block');
      assert.equal(mine.category, 'fraud');
      assert.equal(mine.label, 'Confirmed fraud · police list');
      const suffixes = res.body.entries.map((e: { suffix: string }) => e.suffix);
      assert.deepEqual([...suffixes].sort(), suffixes);
    }
  });

  it('answers the same prefix the same way every time (diffing answers shows nothing)', async () => {
    const p = sha('+8613100131000').slice(0, 5);
    const a = await t.call('GET', `/v1/lookup/range/${p}`, { role: 'carrier' });
    const b = await t.call('GET', `/v1/lookup/range/${p}`, { role: 'platform' });
    assert.equal(a.text, b.text);
    const empty = await t.call('GET', '/v1/lookup/range/00000', { role: 'app' });
    assert.equal(empty.body.entries.length, 32);
    assert.notDeepEqual(empty.body.entries, (await t.call('GET', '/v1/lookup/range/00001', { role: 'app' })).body.entries);
  });

  it('follows the index: a caller under the label threshold is not listed, one over it is', async () => {
    const caller = '+8613900139111';
    const p = sha(caller);
    const listed = async (): Promise<boolean> => (await t.call('GET', `/v1/lookup/range/${p.slice(0, 5)}`, { role: 'app' })).body.entries.some((e: { suffix: string }) => e.suffix === p.slice(5));
    assert.equal(await listed(), false);
    await t.call('POST', '/v1/lists', { role: 'police', body: { name: 'Case 10', category: 'fraud', entries: [{ identifier: caller }] } });
    assert.equal(await listed(), true);
  });

  it('is for apps, platforms and carriers only', async () => {
    for (const role of ['bank', 'police', 'regulator', 'business'] as const) {
      assert.equal((await t.call('GET', '/v1/lookup/range/abcde', { role })).status, 403, role);
    }
    assert.equal((await t.call('GET', '/v1/lookup/range/abcde')).status, 401);
  });

  it('refuses a prefix that is not 5 lower-case hex characters, naming prefix', async () => {
    for (const bad of ['ABCDE', 'abcd', 'abcdef', 'abcdg', '%2B8613']) {
      const res = await t.call('GET', `/v1/lookup/range/${bad}`, { role: 'app' });
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.field, 'prefix', bad);
      assert.match(res.headers.get('content-type') ?? '', /problem\+json/);
    }
  });
});

describe('the range look-up logs no prefix', () => {
  it('no log line at trace level carries the prefix asked, found or refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callshield-range-log-'));
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (s: string) => void lines.push(s) });
    const ctx = await openApp(loadConfig({}, { dbPath: join(dir, 'db.sqlite'), logLevel: 'trace' }), { logger });
    try {
      const { key } = await createApiKey(ctx, { org: 'Log app', role: 'app', person: 'dev-1' }, CLI_OPERATOR);
      const { app } = await buildServer(ctx, extraRoutes);
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const asked = ['7f3c9', 'e0d1a'];
      for (const p of asked) assert.equal((await fetch(`${url}/v1/lookup/range/${p}`, { headers: { authorization: `Bearer ${key}` } })).status, 200);
      assert.equal((await fetch(`${url}/v1/lookup/range/7F3C9`, { headers: { authorization: `Bearer ${key}` } })).status, 400);
      await app.close();
      const log = lines.join('');
      assert.ok(lines.some((l) => l.includes('/v1/lookup/range/:prefix')), 'requests are logged (by route pattern)');
      for (const p of [...asked, '7F3C9']) assert.ok(!log.toLowerCase().includes(p.toLowerCase()), `prefix ${p} is not in the log`);
    } finally {
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
