// The periodic re-score (serve, every CALLSHIELD_RESCORE_MINUTES) covers every identifier with
// evidence in the store, not only those this node already holds in its index: evidence that reached
// the store without reaching this node (written before a lost entry, or by a node of an older
// version) is picked up, and an identifier whose evidence is gone leaves the index.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

describe('rescoreAll', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => t.close());

  const screen = async (caller: string): Promise<string> => {
    const r = await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller, callee: '+8613800138000', channel: 'pstn' } });
    assert.equal(r.status, 200, r.text);
    return r.body.action;
  };

  it('scores identifiers with evidence this node never saw written, and drops those whose evidence is gone', async () => {
    const caller = '+8613700004455';
    const police = await t.ctx.db.selectFrom('orgs').select('id').where('role', '=', 'police').executeTakeFirstOrThrow();
    const at = new Date().toISOString();
    const listId = randomUUID();
    // Straight into the store: no change-log entry, nothing in this node's index.
    await t.ctx.db.insertInto('lists').values({ id: listId, org_id: police.id, source: 'police', name: 'written elsewhere', category: 'fraud', expires_at: null, created_at: at, entries: 1 }).execute();
    await t.ctx.db.insertInto('list_entries').values({ id: randomUUID(), list_id: listId, identifier: caller, kind: 'phone', category: 'fraud', reason: null, expires_at: null, created_at: at }).execute();
    assert.equal(await screen(caller), 'allow');
    assert.equal(t.ctx.index.has(caller), false);
    assert.ok((await t.ctx.rescoreAll()) >= 1);
    assert.equal(await screen(caller), 'block');
    // And back: the evidence goes from the store, the next pass takes the caller out of the index.
    await t.ctx.db.deleteFrom('list_entries').where('list_id', '=', listId).execute();
    await t.ctx.rescoreAll();
    assert.equal(await screen(caller), 'allow');
    assert.equal(t.ctx.index.has(caller), false);
  });
});
