// How a node applies policy changes from the change log: "org:subscriber" keys touch one
// organisation's policy; a bare subscriber key (written by a node before migration 0011) reloads
// every organisation's policy for that subscriber.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { recordChanges } from '../../src/store/changes.js';
import { policyChangeKey } from '../../src/app-context.js';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(async () => {
  await t?.close();
});

describe('policy changes through the change log', () => {
  it('applies an organisation-scoped key and a bare subscriber key', async () => {
    const { ctx } = t;
    const hash = ctx.hash('+8613800131313');
    const at = new Date().toISOString();
    await ctx.db.insertInto('policies').values([
      { org_id: 'org-a', subscriber_hash: hash, policy: JSON.stringify({ contacts: [], pinnedBusinesses: [], silenceUnknownVideo: false, guardianMode: true, paused: false, blockWithheld: false, language: 'en' }), updated_at: at },
      { org_id: 'org-b', subscriber_hash: hash, policy: JSON.stringify({ contacts: [], pinnedBusinesses: [], silenceUnknownVideo: false, guardianMode: false, paused: true, blockWithheld: false, language: 'zh' }), updated_at: at },
    ]).execute();
    await recordChanges(ctx.db, ctx.engine, 'policy', [policyChangeKey('org-a', hash)]);
    await ctx.applyChanges();
    assert.equal(ctx.policies.get('org-a', hash)?.guardianMode, true);
    assert.equal(ctx.policies.get('org-b', hash), undefined, 'only the named organisation');
    await recordChanges(ctx.db, ctx.engine, 'policy', [hash]);
    await ctx.applyChanges();
    assert.equal(ctx.policies.get('org-b', hash)?.paused, true);
    await ctx.db.deleteFrom('policies').where('org_id', '=', 'org-a').execute();
    await recordChanges(ctx.db, ctx.engine, 'policy', [policyChangeKey('org-a', hash)]);
    await ctx.applyChanges();
    assert.equal(ctx.policies.get('org-a', hash), undefined);
    assert.equal(ctx.policies.get('org-b', hash)?.language, 'zh');
  });
});
