// Attacks on the deployment's secrets and on the server's own network (docs/security.md, "Secrets
// outside the database, outbound fetches"): a database dump alone, and webhook, guardian-webhook
// and x5u URLs that point the server at loopback, private or metadata addresses.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { pino } from 'pino';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { loadConfig } from '../../../src/config.js';
import { openApp } from '../../../src/app-context.js';
import { hashIdentifier } from '../../../src/identity/index.js';
import { dispatchDue } from '../../../src/operations/payments/dispatcher.js';
import { createGuardedFetch, refusedAddressReason } from '../../../src/operations/outbound-fetch.js';
import type { ResolvedAddress } from '../../../src/operations/outbound-fetch.js';
import { upsertEndpoint } from '../../../src/store/payments/outbox.js';
import { createSigner } from '../../../src/stir/create-signer.js';
import { buildPassportPayload } from '../../../src/stir/passport-sign.js';
import { createShakenCertificate, createTestCa } from '../../../src/stir/test-pki.js';
import type { ShakenCertificate } from '../../../src/stir/test-pki.js';

const SUBSCRIBER = '+8613800138000';
const CONTACT = '+8613911112222';

/** A loopback HTTP server that records what reaches it. */
async function receiver(handler: (url: string) => { status: number; body?: string; headers?: Record<string, string> } = () => ({ status: 204 })): Promise<{ server: Server; port: number; hits: string[]; close(): void }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    const out = handler(req.url ?? '/');
    res.writeHead(out.status, out.headers).end(out.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    hits,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Every text value of every row of every table, as a dump would hold them. */
function textsOfRows(rows: Record<string, unknown>[]): string[] {
  return rows.flatMap((r) => Object.values(r)).flatMap((v) => (typeof v === 'string' ? [v] : Buffer.isBuffer(v) ? [v.toString('utf8'), v.toString('base64url')] : v === null || v === undefined ? [] : [String(v)]));
}

/**
 * What an attacker holding a copy of the database has: on SQLite the file itself, copied without
 * the secret file beside it; on PostgreSQL every row of every table (what pg_dump writes).
 */
async function dumpDatabase(t: TestServer): Promise<string[]> {
  if (t.ctx.engine === 'sqlite') {
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(t.ctx.db);
    const stolen = mkdtempSync(join(tmpdir(), 'callshield-stolen-'));
    try {
      copyFileSync(t.dbPath, join(stolen, 'callshield.db'));
      const db = new SQLite(join(stolen, 'callshield.db'), { readonly: true });
      try {
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
        return tables.flatMap(({ name }) => textsOfRows(db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]));
      } finally {
        db.close();
      }
    } finally {
      rmSync(stolen, { recursive: true, force: true });
    }
  }
  const tables = await t.ctx.db.introspection.getTables({ withInternalKyselyTables: true });
  const out: string[] = [];
  for (const { name } of tables) out.push(...textsOfRows((await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(t.ctx.db)).rows));
  return out;
}

describe('secrets outside the database, outbound fetches', () => {
  let t: TestServer;
  let pki: { caFile: string; leaf: ShakenCertificate; dir: string };
  let certs: Awaited<ReturnType<typeof receiver>>;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callshield-abuse-secrets-'));
    const ca = await createTestCa();
    const leaf = await createShakenCertificate({ ca, spc: '1234' });
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, ca.certificatePem);
    pki = { caFile, leaf, dir };
    certs = await receiver(() => ({ status: 200, body: leaf.chainPem, headers: { 'content-type': 'application/x-pem-file' } }));
    // Plain-http x5u is allowed, so what refuses a loopback x5u here is the address guard alone.
    t = await startTestServer({ allowPrivateFetch: false, stirAllowHttpX5u: true, stirCaFile: caFile });
  });
  after(async () => {
    await t?.close();
    certs?.close();
    rmSync(pki.dir, { recursive: true, force: true });
  });

  it('a database dump alone (without the secret file) cannot reverse hashed subscriber numbers', async () => {
    const put = await t.call('PUT', `/v1/subscribers/${encodeURIComponent(SUBSCRIBER)}/policy`, { role: 'app', body: { contacts: [CONTACT], silenceUnknownVideo: true } });
    assert.equal(put.status, 200, put.text);
    const stored = t.ctx.hash(SUBSCRIBER);
    const dump = await dumpDatabase(t);
    assert.ok(dump.some((v) => v.includes(stored)), 'the dump holds the hashed subscriber');
    assert.ok(!dump.some((v) => v.includes(SUBSCRIBER)), 'and not the number itself');
    // The attacker hashes candidate numbers (the number space is small) with every value the dump
    // holds as the key, the secret-looking meta rows first: none reproduces the stored hash.
    const candidates = [SUBSCRIBER, CONTACT];
    const keys = [...new Set(dump)];
    for (const key of keys) {
      for (const c of candidates) assert.ok(!dump.includes(hashIdentifier(key, c)) && !dump.some((v) => v.includes(hashIdentifier(key, c))), 'no value of the dump is the hash key');
    }
    // The key is in the secret file, which the dump does not have: with it, the hashes do reverse.
    const secretFile = t.ctx.config.secretFile!;
    const secrets = JSON.parse(readFileSync(secretFile, 'utf8')) as { hash: string; kek: string };
    assert.equal(hashIdentifier(secrets.hash, SUBSCRIBER), stored);
    assert.ok(!dump.some((v) => v.includes(secrets.hash) || v.includes(secrets.kek)), 'no row holds either secret');
    if (t.ctx.engine === 'sqlite') {
      // Nor does the copied file start a server that would hash for the attacker.
      const stolen = mkdtempSync(join(tmpdir(), 'callshield-stolen-'));
      try {
        await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(t.ctx.db);
        copyFileSync(t.dbPath, join(stolen, 'callshield.db'));
        await assert.rejects(openApp(loadConfig({}, { dbPath: join(stolen, 'callshield.db'), logLevel: 'silent' }), { logger: pino({ level: 'silent' }) }), { code: 'CONFIG_INVALID', field: 'CALLSHIELD_SECRET_FILE' });
      } finally {
        rmSync(stolen, { recursive: true, force: true });
      }
    }
  });

  it('a webhook URL at 127.0.0.1, 10.x, 169.254.169.254 or localhost is refused at registration', async () => {
    const hook = await receiver();
    try {
      for (const url of [`http://127.0.0.1:${hook.port}/hooks`, 'http://10.0.0.5/hooks', 'http://169.254.169.254/latest/meta-data/', `http://localhost:${hook.port}/hooks`, 'http://[::ffff:127.0.0.1]/', 'http://[fd00:ec2::254]/']) {
        const res = await t.call('PUT', '/v1/webhooks', { role: 'bank', body: { url } });
        assert.equal(res.status, 400, `${url}: ${res.text}`);
        assert.equal(res.body.code, 'PAYMENTS_INVALID_WEBHOOK');
        assert.equal(res.body.field, 'url');
      }
      assert.equal((await t.call('GET', '/v1/webhooks', { role: 'bank' })).body.url, null, 'nothing was registered');
      assert.equal((await t.call('PUT', '/v1/webhooks', { role: 'bank', body: { url: 'https://hooks.bank.example/callshield' } })).status, 200);
    } finally {
      hook.close();
    }
  });

  it('a guardian webhook URL at 127.0.0.1, 10.x, 169.254.169.254 or localhost is refused', async () => {
    for (const webhookUrl of ['http://127.0.0.1:9/alert', 'http://10.1.2.3/alert', 'http://169.254.169.254/latest/meta-data/iam/', 'http://localhost:9/alert']) {
      const res = await t.call('PUT', `/v1/subscribers/${encodeURIComponent(SUBSCRIBER)}/guardians`, {
        role: 'app',
        body: { guardians: [{ name: 'Daughter', contact: '+8613700007777', webhookUrl }] },
      });
      assert.equal(res.status, 400, `${webhookUrl}: ${res.text}`);
      assert.equal(res.body.field, 'guardians.0.webhookUrl');
    }
  });

  it('a webhook whose name resolves to loopback is refused at delivery, and the delivery log is no port scanner', async () => {
    // A URL stored before this check existed (or a name that only resolves to loopback): the
    // dispatcher resolves it, sees 127.0.0.1 and does not connect.
    const open = await receiver();
    const closedPort = await (async () => {
      const r = await receiver();
      r.close();
      return r.port;
    })();
    try {
      const orgId = (await t.ctx.db.selectFrom('orgs').select('id').where('name', '=', 'Test bank').executeTakeFirstOrThrow()).id;
      const at = new Date().toISOString();
      const logs: string[] = [];
      for (const url of [`http://localhost:${open.port}/hooks`, `http://localhost:${closedPort}/hooks`]) {
        await upsertEndpoint(t.ctx.db, { org_id: orgId, url, secret: 'a-secret-of-sixteen-chars', created_at: at, updated_at: at });
        const account = `alipay:mule-${logs.length}`;
        await t.call('POST', '/v1/accounts/flags', { role: 'bank', body: { account, evidence: 'suspected mule' } });
        const held = await t.call('POST', '/v1/transfers/check', { role: 'bank', body: { payer: `c-${logs.length}`, payeeAccount: account, amount: 900, currency: 'CNY', channel: 'online' } });
        assert.equal(held.body.decision, 'hold', held.text);
        await dispatchDue(t.ctx);
        const deliveries = (await t.call('GET', '/v1/webhooks/deliveries', { role: 'bank' })).body.deliveries as { url: string; log: { error: string | null; statusCode: number | null }[] }[];
        const mine = deliveries.find((d) => d.url === url);
        assert.ok(mine, `a delivery to ${url}`);
        assert.equal(mine.log[0]!.statusCode, null);
        logs.push(mine.log[0]!.error ?? '');
      }
      assert.deepEqual(logs, ['refused: private address', 'refused: private address'], 'an open and a closed port look alike');
      assert.deepEqual(open.hits, [], 'nothing reached the loopback receiver');
      const all = (await t.call('GET', '/v1/webhooks/deliveries', { role: 'bank' })).text;
      assert.doesNotMatch(all, /\bE[A-Z]{4,}\b/, 'no raw network error code (ECONNREFUSED …) in the delivery log');
    } finally {
      open.close();
    }
  });

  it('an x5u at 127.0.0.1, localhost, 10.x or 169.254.169.254 is not fetched', async () => {
    const nowSec = Math.floor(Date.now() / 1000);
    const verify = async (server: TestServer, x5u: string): Promise<{ verstat: string; reasoncode?: number }> => {
      const signer = createSigner({ spc: '1234', x5u, privateKeyPem: pki.leaf.privateKeyPem, certificatePem: pki.leaf.certificatePem });
      const identity = signer.signIdentity(buildPassportPayload({ attest: 'A', orig: '12127363100', dest: ['16502530000'], iat: nowSec, origid: `abuse-${x5u.length}-${Math.random()}` }));
      const res = await server.call('POST', '/stir/v1/verification', { role: 'carrier', body: { verificationRequest: { from: { tn: '12127363100' }, to: { tn: ['16502530000'] }, time: nowSec, identity } } });
      assert.equal(res.status, 200, res.text);
      return res.body.verificationResponse;
    };
    for (const x5u of [`http://127.0.0.1:${certs.port}/leaf.pem`, `http://localhost:${certs.port}/leaf.pem`, 'http://10.0.0.5/leaf.pem', 'http://169.254.169.254/latest/leaf.pem']) {
      const out = await verify(t, x5u);
      // 436: the x5u could not be dereferenced (RFC 8224), so no verification.
      assert.deepEqual([out.verstat, out.reasoncode], ['No-TN-Validation', 436], x5u);
    }
    assert.deepEqual(certs.hits, [], 'the certificate server on loopback was never asked');
    // The same Identity verifies where private fetches are allowed: the guard alone refused it.
    const allowed = await startTestServer({ allowPrivateFetch: true, stirAllowHttpX5u: true, stirCaFile: pki.caFile });
    try {
      assert.equal((await verify(allowed, `http://127.0.0.1:${certs.port}/leaf.pem`)).verstat, 'TN-Validation-Passed');
      assert.equal(certs.hits.length, 1);
    } finally {
      await allowed.close();
    }
  });

  it('a public-looking URL that redirects to a private address is refused at the redirect', async () => {
    // Loopback stands in for the public host here (only 127.0.0.1 itself is let through); every
    // other refused range applies as in production, and the hop after the redirect is checked again.
    const inner = await receiver();
    const redirector = await receiver((url) => ({ status: 307, headers: { location: url === '/to-metadata' ? 'http://169.254.169.254/latest/meta-data/' : url === '/to-name' ? 'http://internal.example/admin' : `http://[::ffff:127.0.0.1]:${inner.port}/` } }));
    try {
      const resolve = async (host: string): Promise<ResolvedAddress[]> => [{ address: host === 'hooks.partner.example' ? '127.0.0.1' : '10.20.30.40', family: 4 }];
      const guarded = createGuardedFetch({ allowPrivate: false, resolve, refuse: (a) => (a === '127.0.0.1' ? undefined : refusedAddressReason(a)) });
      for (const path of ['/to-metadata', '/to-name', '/to-mapped-loopback']) {
        await assert.rejects(guarded(`http://hooks.partner.example:${redirector.port}${path}`, { method: 'POST', body: '{}' }), { outcome: 'refused: private address' }, path);
      }
      assert.equal(redirector.hits.length, 3, 'the first hop was made');
      assert.deepEqual(inner.hits, [], 'the private target never was');
    } finally {
      inner.close();
      redirector.close();
    }
  });
});
