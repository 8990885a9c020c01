// A large partner list (over the COPY threshold on PostgreSQL) lands whole or not at all, with its
// audit entry, on both engines.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

describe('bulk partner lists', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => t.close());

  const numbers = (n: number, offset = 0): string[] => Array.from({ length: n }, (_, i) => `+86137${String(offset + i).padStart(8, '0')}`);

  it('uploads 5,000 entries in one list, audited, and screening blocks them at once', async () => {
    const r = await t.call('POST', '/v1/lists', { role: 'police', body: { name: 'bulk case', category: 'fraud', entries: numbers(5000).map((identifier) => ({ identifier })) } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.entries, 5000);
    const count = await t.ctx.db.selectFrom('list_entries').select(({ fn }) => fn.countAll<number>().as('n')).where('list_id', '=', r.body.id).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 5000);
    const s = await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller: '+8613700004999', callee: '+8613800138000', channel: 'pstn' } });
    assert.equal(s.body.action, 'block');
    const v = await t.call('GET', '/v1/audit/verify', { role: 'regulator' });
    assert.equal(v.body.ok, true);
    const audit = await t.call('GET', '/v1/audit?limit=1000', { role: 'regulator' });
    assert.ok(audit.body.entries.some((e: { action: string; subject: string }) => e.action === 'list.upload' && e.subject === `list:${r.body.id}`));
  });

  it('writes nothing when one entry of a large list is bad', async () => {
    const before = await t.ctx.db.selectFrom('list_entries').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const entries = numbers(3000, 10_000).map((identifier) => ({ identifier }));
    entries[2999] = { identifier: 'not a number' };
    const r = await t.call('POST', '/v1/lists', { role: 'police', body: { name: 'bad bulk', category: 'fraud', entries } });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'entries.2999.identifier');
    const afterCount = await t.ctx.db.selectFrom('list_entries').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n), Number(before.n));
    const lists = await t.ctx.db.selectFrom('lists').select('name').where('name', '=', 'bad bulk').execute();
    assert.equal(lists.length, 0);
  });
});
