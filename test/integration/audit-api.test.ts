// The audit log over HTTP as a witness and an organisation use it: the signed checkpoint, RFC 9162
// inclusion and consistency proofs checked with the verifier key alone, entries by leaf index with
// each organisation limited to the entries about itself, and checkpoints delivered as signed
// `audit.checkpoint` webhooks to the organisations that subscribe. Runs on SQLite, or on
// PostgreSQL with CALLSHIELD_TEST_ENGINE=postgres.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseVerifierKey, verifyCheckpoint, verifyConsistency, verifyInclusion } from '../../src/audit/index.js';
import type { Checkpoint } from '../../src/audit/index.js';
import { signNewCheckpoint } from '../../src/operations/audit/log.js';
import { startOutboxDispatcher } from '../../src/operations/payments/dispatcher.js';
import { inTransaction } from '../../src/operations/write.js';
import { verifySignature } from '../../src/payments/index.js';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import type { Role } from '../../src/auth/index.js';

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');

describe('the audit log over HTTP', () => {
  let t: TestServer;
  let receiver: Server;
  let receiverUrl: string;
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];

  before(async () => {
    t = await startTestServer();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/witness`;
  });
  after(async () => {
    await new Promise<void>((r) => receiver.close(() => r()));
    await t.close();
  });

  async function checkpoint(role: Role = 'bank'): Promise<{ cp: Checkpoint; body: any }> {
    const res = await t.call('GET', '/v1/audit/checkpoint', { role });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const key = parseVerifierKey(res.body.publicKey);
    assert.ok(key, 'the verifier key parses');
    const checked = verifyCheckpoint(res.body.checkpoint, key);
    assert.ok(checked.ok, 'the checkpoint verifies with the verifier key');
    assert.equal(checked.checkpoint.treeSize, res.body.treeSize);
    assert.equal(checked.checkpoint.rootHash.toString('base64'), res.body.rootHash);
    return { cp: checked.checkpoint, body: res.body };
  }

  /** Leaf index of the key.create entry of an organisation (the test server creates one per role). */
  async function keyEntryOf(org: string): Promise<number> {
    const list = await t.call('GET', '/v1/audit?limit=1000', { role: 'admin' });
    const e = list.body.entries.find((x: any) => x.action === 'key.create' && x.subject === `org:${org}`);
    assert.ok(e, org);
    assert.equal(e.index, e.seq - 1);
    return e.index;
  }

  it('serves the latest signed checkpoint to every role, as JSON or as the bare note', async () => {
    // The first checkpoint was signed at start (size 0); sign one over the keys created since.
    const signed = await signNewCheckpoint(t.ctx);
    assert.ok(signed);
    const { cp, body } = await checkpoint('app');
    assert.equal(cp.treeSize, signed.treeSize);
    assert.ok(cp.treeSize >= 8, 'one key.create per role');
    assert.match(body.publicKey, /^\S+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
    const text = await t.call('GET', '/v1/audit/checkpoint', { role: 'business', headers: { accept: 'text/plain' } });
    assert.equal(text.status, 200);
    assert.match(text.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(text.text, body.checkpoint);
  });

  it('an inclusion proof for an entry verifies against the checkpoint root', async () => {
    const { cp } = await checkpoint();
    for (const index of [0, 3, cp.treeSize - 1]) {
      const res = await t.call('GET', `/v1/audit/proof/inclusion?index=${index}&treeSize=${cp.treeSize}`, { role: 'regulator' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body).sort(), ['inclusionPath', 'leafHash', 'leafIndex', 'treeSize']);
      const entry = await t.call('GET', `/v1/audit/entries/${index}`, { role: 'regulator' });
      assert.equal(entry.status, 200);
      assert.equal(entry.body.leafHash, res.body.leafHash);
      assert.equal(verifyInclusion(index, cp.treeSize, b64(res.body.leafHash), res.body.inclusionPath.map(b64), cp.rootHash), true, `index ${index}`);
      assert.equal(verifyInclusion(index, cp.treeSize, b64(res.body.leafHash), res.body.inclusionPath.map(b64), Buffer.alloc(32)), false);
    }
  });

  it('each organisation reads the entries about itself, and only those; regulators and admins read all', async () => {
    const { cp } = await checkpoint();
    const mine = await keyEntryOf('Test bank');
    const theirs = await keyEntryOf('Test police');
    const own = await t.call('GET', `/v1/audit/entries/${mine}`, { role: 'bank' });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.subject, 'org:Test bank');
    assert.equal((await t.call('GET', `/v1/audit/proof/inclusion?index=${mine}&treeSize=${cp.treeSize}`, { role: 'bank' })).status, 200);
    for (const path of [`/v1/audit/entries/${theirs}`, `/v1/audit/proof/inclusion?index=${theirs}&treeSize=${cp.treeSize}`]) {
      const res = await t.call('GET', path, { role: 'bank' });
      assert.equal(res.status, 403, path);
      assert.equal(res.body.code, 'AUTH_FORBIDDEN');
      for (const role of ['regulator', 'admin'] as const) assert.equal((await t.call('GET', path, { role })).status, 200, `${path} as ${role}`);
    }
    // A freeze filed against the bank's accounts is about the bank too, though the police wrote it.
    await inTransaction(t.ctx, ({ audit }) =>
      audit({ actor: 'Test police (police)', action: 'freeze.file', subject: 'freeze:f1', details: { accounts: [{ account: '6222', bank: 'Test bank' }] } }),
    );
    const list = await t.call('GET', '/v1/audit?limit=1000', { role: 'admin' });
    const freeze = list.body.entries.find((e: any) => e.subject === 'freeze:f1');
    assert.equal((await t.call('GET', `/v1/audit/entries/${freeze.index}`, { role: 'bank' })).status, 200);
    assert.equal((await t.call('GET', `/v1/audit/entries/${freeze.index}`, { role: 'police' })).status, 200);
    assert.equal((await t.call('GET', `/v1/audit/entries/${freeze.index}`, { role: 'carrier' })).status, 403);
    // The whole list and the full check stay with regulators and admins.
    assert.equal((await t.call('GET', '/v1/audit', { role: 'bank' })).status, 403);
    assert.equal((await t.call('GET', '/v1/audit/verify', { role: 'bank' })).status, 403);
  });

  it('a consistency proof between two checkpoints verifies; a wrong old root does not', async () => {
    await signNewCheckpoint(t.ctx);
    const { cp: older } = await checkpoint();
    for (let i = 0; i < 5; i++) await inTransaction(t.ctx, ({ audit }) => audit({ actor: 'Test regulator (regulator)', action: 'appeal.upheld', subject: `appeal:${i}`, details: { i } }));
    assert.ok(await signNewCheckpoint(t.ctx));
    const { cp: newer } = await checkpoint('carrier');
    assert.equal(newer.treeSize, older.treeSize + 5);
    const res = await t.call('GET', `/v1/audit/proof/consistency?from=${older.treeSize}&to=${newer.treeSize}`, { role: 'carrier' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), ['consistencyPath', 'treeSize1', 'treeSize2']);
    const path = res.body.consistencyPath.map(b64);
    assert.equal(verifyConsistency(older.treeSize, newer.treeSize, older.rootHash, newer.rootHash, path), true);
    assert.equal(verifyConsistency(older.treeSize, newer.treeSize, Buffer.alloc(32, 1), newer.rootHash, path), false);
    const same = await t.call('GET', `/v1/audit/proof/consistency?from=${newer.treeSize}&to=${newer.treeSize}`, { role: 'carrier' });
    assert.deepEqual(same.body.consistencyPath, []);
  });

  it('bad queries are 400 naming the field; a missing entry is 404', async () => {
    const { cp } = await checkpoint();
    const cases: [string, string, string][] = [
      [`/v1/audit/proof/inclusion?index=abc&treeSize=${cp.treeSize}`, 'REQUEST_INVALID_QUERY', 'index'],
      ['/v1/audit/proof/inclusion?index=1', 'REQUEST_INVALID_QUERY', 'treeSize'],
      [`/v1/audit/proof/inclusion?index=${cp.treeSize}&treeSize=${cp.treeSize}`, 'REQUEST_INVALID_QUERY', 'index'],
      [`/v1/audit/proof/inclusion?index=0&treeSize=${cp.treeSize + 1000}`, 'REQUEST_INVALID_QUERY', 'treeSize'],
      ['/v1/audit/proof/inclusion?index=0&treeSize=0', 'REQUEST_INVALID_QUERY', 'treeSize'],
      ['/v1/audit/proof/consistency?from=0&to=2', 'REQUEST_INVALID_QUERY', 'from'],
      ['/v1/audit/proof/consistency?from=3&to=2', 'REQUEST_INVALID_QUERY', 'from'],
      [`/v1/audit/proof/consistency?from=1&to=${cp.treeSize + 1000}`, 'REQUEST_INVALID_QUERY', 'to'],
      ['/v1/audit/proof/consistency?from=1&to=2&x=1', 'REQUEST_INVALID_QUERY', 'x'],
      ['/v1/audit/entries/-1', 'REQUEST_INVALID_QUERY', 'index'],
    ];
    for (const [path, code, field] of cases) {
      const res = await t.call('GET', path, { role: 'admin' });
      assert.equal(res.status, 400, `${path}: ${JSON.stringify(res.body)}`);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(res.body.code, code, path);
      assert.equal(res.body.field, field, path);
    }
    const missing = await t.call('GET', '/v1/audit/entries/99999', { role: 'admin' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'AUDIT_ENTRY_NOT_FOUND');
  });

  it('witnesses subscribe with events ["audit.checkpoint"], receive each new checkpoint signed, and check it', async () => {
    const bad = await t.call('PUT', '/v1/webhooks', { role: 'regulator', body: { url: receiverUrl, events: ['audit.everything'] } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'events');
    const sub = await t.call('PUT', '/v1/webhooks', { role: 'regulator', body: { url: receiverUrl, events: ['audit.checkpoint'] } });
    assert.equal(sub.status, 200, JSON.stringify(sub.body));
    assert.deepEqual(sub.body.events, ['audit.checkpoint']);
    assert.deepEqual((await t.call('GET', '/v1/webhooks', { role: 'regulator' })).body.events, ['audit.checkpoint']);
    // A bank with a webhook but no subscription is not a witness.
    assert.equal((await t.call('PUT', '/v1/webhooks', { role: 'bank', body: { url: `${receiverUrl}/bank` } })).status, 200);

    const { cp: kept } = await checkpoint('regulator');
    await inTransaction(t.ctx, ({ audit }) => audit({ actor: 'Test admin (admin)', action: 'key.create', subject: 'org:Someone', details: {} }));
    const signed = await signNewCheckpoint(t.ctx);
    assert.ok(signed);
    const dispatcher = startOutboxDispatcher(t.ctx);
    try {
      const end = Date.now() + 10_000;
      while (!received.some((r) => r.headers['x-callshield-event'] === 'audit.checkpoint') && Date.now() < end) {
        await dispatcher.kick();
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      await dispatcher.stop();
    }
    const deliveries = received.filter((r) => r.headers['x-callshield-event'] === 'audit.checkpoint');
    assert.equal(deliveries.length, 1, 'one delivery: the subscribed regulator only');
    const d = deliveries[0]!;
    const sig = verifySignature(String(d.headers['x-callshield-signature']), d.body, sub.body.secret, Math.floor(Date.now() / 1000));
    assert.equal(sig.ok, true, 'the webhook is signed with the subscriber\'s secret');
    const event = JSON.parse(d.body);
    assert.equal(event.type, 'audit.checkpoint');
    assert.equal(event.data.treeSize, signed.treeSize);
    // The witness checks the checkpoint with the verifier key it keeps, then asks for a proof that
    // the log only grew since the checkpoint it kept before.
    const key = parseVerifierKey(event.data.publicKey)!;
    const fresh = verifyCheckpoint(event.data.checkpoint, key);
    assert.ok(fresh.ok);
    const proof = await t.call('GET', `/v1/audit/proof/consistency?from=${kept.treeSize}&to=${fresh.checkpoint.treeSize}`, { role: 'regulator' });
    assert.equal(verifyConsistency(kept.treeSize, fresh.checkpoint.treeSize, kept.rootHash, fresh.checkpoint.rootHash, proof.body.consistencyPath.map(b64)), true);
    // Nothing new, nothing signed: the next pass sends nothing.
    assert.equal(await signNewCheckpoint(t.ctx), undefined);
  });

  it('GET /v1/audit/verify recomputes the tree and checks it against the latest checkpoint', async () => {
    const res = await t.call('GET', '/v1/audit/verify', { role: 'regulator' });
    assert.equal(res.status, 200);
    assert.equal(res.body.ok, true, JSON.stringify(res.body));
    assert.equal(res.body.checkpoint.source, 'stored');
    const { cp } = await checkpoint();
    assert.equal(res.body.checkpoint.treeSize, cp.treeSize);
  });
});
