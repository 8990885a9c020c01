// GET /v1/blocklist over HTTP on a real SQLite file: versions from the reputation index, whole
// lists and deltas in JSON, CSV and the iOS form, the signed manifest checked with the published
// key, the roles, bad input, and `callshield export blocklist` on the same file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let t: TestServer;
let policeList: string;

async function list(role: 'police' | 'carrier', name: string, category: string, identifiers: string[]): Promise<string> {
  const res = await t.call('POST', '/v1/lists', { role, body: { name, category, entries: identifiers.map((identifier) => ({ identifier })) } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['CALLSHIELD_DB', 'DATABASE_URL', 'CALLSHIELD_SECRET_FILE', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT']) delete env[k];
  // On PostgreSQL (--engine postgres) the command reads the server's database and secret file.
  if (t.ctx.config.databaseUrl) Object.assign(env, { DATABASE_URL: t.ctx.config.databaseUrl, CALLSHIELD_SECRET_FILE: t.ctx.config.secretFile, CALLSHIELD_AUDIT_KEY_FILE: t.ctx.config.auditKeyFile });
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'callshield.js'), ...args], { cwd: ROOT, env, timeout: 120_000 }, (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr }));
  });
}

before(async () => {
  t = await startTestServer({ blocklistSeconds: 0 });
  policeList = await list('police', 'Case 14', 'fraud', ['+8613100131000', '+12025550143', 'scam.desk@example.com']);
  await list('carrier', 'Robocallers', 'robocall', ['+8613900139000']);
});
after(async () => {
  await t?.close();
});

describe('GET /v1/blocklist', () => {
  let v1: number;
  it('lists block-action identifiers, whole, as JSON (the first version)', async () => {
    const res = await t.call('GET', '/v1/blocklist', { role: 'app' });
    assert.equal(res.status, 200, res.text);
    v1 = res.body.version;
    assert.ok(v1 >= 1);
    assert.equal(res.headers.get('x-blocklist-version'), String(v1));
    assert.deepEqual(res.body.entries.map((e: { identifier: string }) => e.identifier), ['+12025550143', '+8613100131000', 'scam.desk@example.com']);
    assert.equal(res.body.entries[0].label, 'Confirmed fraud · police list');
    // Nothing changed: the same version again.
    assert.equal((await t.call('GET', '/v1/blocklist', { role: 'carrier' })).body.version, v1);
  });

  it('the identification list holds the labelled warn/label callers, not the blocked ones', async () => {
    const res = await t.call('GET', '/v1/blocklist?list=identify', { role: 'platform' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.entries.map((e: { identifier: string }) => e.identifier), ['+8613900139000']);
    assert.equal(res.body.entries[0].category, 'robocall');
    assert.match(res.body.entries[0].label, /Robocall/);
  });

  it('the iOS form is ascending numbers without "+", phones only; CSV has a header', async () => {
    const ios = await t.call('GET', '/v1/blocklist?format=ios', { role: 'app' });
    assert.equal(ios.status, 200);
    assert.match(ios.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(ios.text, '12025550143\n8613100131000\n');
    const ident = await t.call('GET', '/v1/blocklist?format=ios&list=identify', { role: 'app' });
    assert.match(ident.text, /^8613900139000\tRobocall/);
    const csv = await t.call('GET', '/v1/blocklist?format=csv', { role: 'app' });
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal(csv.text.split('\n')[0], 'identifier,category,label');
    assert.ok(csv.text.includes('+8613100131000,fraud,Confirmed fraud · police list'));
  });

  it('a delta since a version says what was added and removed', async () => {
    await list('police', 'Case 15', 'fraud', ['+8613100131001']);
    const lifted = await t.call('DELETE', `/v1/lists/${policeList}/entries/${encodeURIComponent('+12025550143')}`, { role: 'police' });
    assert.equal(lifted.status, 200, lifted.text);
    const res = await t.call('GET', `/v1/blocklist?since=${v1}`, { role: 'app' });
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.version > v1);
    assert.deepEqual(res.body.added.map((e: { identifier: string }) => e.identifier), ['+8613100131001']);
    assert.deepEqual(res.body.removed, ['+12025550143']);
    const ios = await t.call('GET', `/v1/blocklist?since=${v1}&format=ios`, { role: 'app' });
    assert.deepEqual([ios.body.added, ios.body.removed], [['8613100131001'], ['12025550143']]);
    const csv = await t.call('GET', `/v1/blocklist?since=${v1}&format=csv`, { role: 'app' });
    assert.deepEqual(csv.text.trim().split('\n'), ['change,identifier,category,label', 'added,+8613100131001,fraud,Confirmed fraud · police list', 'removed,+12025550143,fraud,Confirmed fraud · police list']);
    const none = await t.call('GET', `/v1/blocklist?since=${res.body.version}`, { role: 'app' });
    assert.deepEqual([none.body.added, none.body.removed], [[], []]);
  });

  it('the manifest is signed with the published key and its digest matches the list', async () => {
    const keyRes = await t.call('GET', '/v1/blocklist/signing-key');
    assert.equal(keyRes.status, 200, keyRes.text);
    const m = await t.call('GET', '/v1/blocklist/manifest', { role: 'app' });
    assert.equal(m.status, 200, m.text);
    const pub = createPublicKey(keyRes.body.pem);
    assert.ok(verify(null, Buffer.from(m.body.payload), pub, Buffer.from(m.body.signature, 'base64url')));
    const raw = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: keyRes.body.publicKey }, format: 'jwk' });
    assert.ok(verify(null, Buffer.from(m.body.payload), raw, Buffer.from(m.body.signature, 'base64url')));
    const signed = JSON.parse(m.body.payload);
    assert.equal(signed.keyId, keyRes.body.keyId);
    const full = await t.call('GET', '/v1/blocklist', { role: 'app' });
    assert.equal(signed.version, full.body.version);
    const ids = full.body.entries.map((e: { identifier: string }) => e.identifier).sort();
    assert.equal(signed.lists.block.count, ids.length);
    assert.equal(signed.lists.block.digest, createHash('sha256').update(ids.map((i: string) => `${i}\n`).join('')).digest('hex'));
    // A changed payload does not verify.
    assert.equal(verify(null, Buffer.from(m.body.payload.replace(/"count":\d+/, '"count":0')), pub, Buffer.from(m.body.signature, 'base64url')), false);
  });

  it('is for apps, platforms, carriers (and admins); bad input names the field', async () => {
    for (const role of ['bank', 'police', 'regulator', 'business'] as const) assert.equal((await t.call('GET', '/v1/blocklist', { role })).status, 403, role);
    assert.equal((await t.call('GET', '/v1/blocklist')).status, 401);
    for (const [q, field] of [['format=xml', 'format'], ['since=-1', 'since'], ['since=abc', 'since'], ['since=999999', 'since'], ['list=all', 'list']]) {
      const res = await t.call('GET', `/v1/blocklist?${q}`, { role: 'app' });
      assert.equal(res.status, 400, q);
      assert.equal(res.body.field, field, q);
    }
  });
});

describe('callshield export blocklist', () => {
  it('writes the newest version to a file in each format', async () => {
    const out = join(t.dir, 'list.txt');
    const r = await cli(['export', 'blocklist', '--format', 'ios', '--out', out, '--db', t.dbPath]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(out, 'utf8'), '8613100131000\n8613100131001\n');
    assert.match(r.stderr, /wrote version \d+ of the block list as ios \(2 lines\)/);
    const json = join(t.dir, 'list.json');
    assert.equal((await cli(['export', 'blocklist', '--format', 'json', '--out', json, '--db', t.dbPath])).code, 0);
    const body = JSON.parse(readFileSync(json, 'utf8'));
    assert.deepEqual(body, (await t.call('GET', '/v1/blocklist', { role: 'app' })).body);
    const bad = await cli(['export', 'blocklist', '--format', 'xml', '--out', json, '--db', t.dbPath]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /format/);
  });
});
