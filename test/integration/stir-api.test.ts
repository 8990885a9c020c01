// STIR/SHAKEN wired into the service, over real HTTP on loopback with a real test PKI: a carrier's
// signer configured like the CLI does it, POST /stir/v1/signing → POST /stir/v1/verification,
// screening with an Identity header, the attestation history, traceback and the key's secrecy.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { loadConfig } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import { buildServer } from '../../src/api/server.js';
import { extraRoutes } from '../../src/api/extra-routes.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { addSigner } from '../../src/operations/stir/signers.js';
import { flushStir } from '../../src/operations/stir/runtime.js';
import { createSigner } from '../../src/stir/create-signer.js';
import { buildPassportPayload, encodePassportPart } from '../../src/stir/passport-sign.js';
import { createShakenCertificate, createTestCa } from '../../src/stir/test-pki.js';
import type { ShakenCertificate } from '../../src/stir/test-pki.js';

const ORIG = '12127363100';
const DEST = '16502530000';
const nowSec = (): number => Math.floor(Date.now() / 1000);

/** The secret scalar of a P-256 key in every common encoding, and the PEM's base64 around it. */
function keyFragments(pem: string): string[] {
  const d = Buffer.from(createPrivateKey(pem).export({ format: 'jwk' }).d as string, 'base64url');
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  // PKCS#8 for P-256: 36 bytes of fixed ASN.1 header, then d (bytes 36..68 = base64 chars 48..90).
  return [d.toString('base64url').slice(0, 40), d.toString('base64').slice(0, 40), d.toString('hex').slice(0, 48), body.slice(48, 88)];
}

function assertNoKey(text: string, pem: string, what: string): void {
  assert.doesNotMatch(text, /PRIVATE KEY/, `${what}: no PEM private key`);
  for (const f of keyFragments(pem)) assert.ok(!text.includes(f), `${what}: no fragment of the private key`);
}

function tamper(identity: string): string {
  const [jws = '', ...params] = identity.split(';');
  const [h, p, s] = jws.split('.');
  const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
  claims.attest = claims.attest === 'A' ? 'B' : 'A';
  return [`${h}.${encodePassportPart(claims)}.${s}`, ...params].join(';');
}

interface Pki {
  dir: string;
  caFile: string;
  leaf: ShakenCertificate;
  otherLeaf: ShakenCertificate;
  x5u: string;
  otherX5u: string;
  http: HttpServer;
  close(): void;
}

async function startPki(): Promise<Pki> {
  const dir = mkdtempSync(join(tmpdir(), 'callshield-stir-api-'));
  const ca = await createTestCa();
  const leaf = await createShakenCertificate({ ca, spc: '1234' });
  const otherCa = await createTestCa({ commonName: 'SHAKEN Other STI-CA' });
  const otherLeaf = await createShakenCertificate({ ca: otherCa, spc: '1234' });
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.certificatePem);
  const http = createServer((req, res) => {
    const body = req.url === '/leaf.pem' ? leaf.chainPem : req.url === '/other.pem' ? otherLeaf.chainPem : undefined;
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/x-pem-file', 'cache-control': 'max-age=60' }).end(body);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    dir,
    caFile,
    leaf,
    otherLeaf,
    x5u: `${base}/leaf.pem`,
    otherX5u: `${base}/other.pem`,
    http,
    close() {
      http.closeAllConnections();
      http.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function signingBody(orig = ORIG, dest = DEST, origid?: string): unknown {
  return { signingRequest: { attest: 'A', dest: { tn: [dest] }, iat: nowSec(), orig: { tn: orig }, ...(origid ? { origid } : {}) } };
}

function verificationBody(identity: string, from = ORIG, to = DEST): unknown {
  return { verificationRequest: { from: { tn: from }, to: { tn: [to] }, time: nowSec(), identity } };
}

describe('STIR/SHAKEN over HTTP', () => {
  let pki: Pki;
  let t: TestServer;
  let carrierTwoKey: string;
  /** Every response body seen in this suite, checked at the end for key material. */
  const seen: string[] = [];

  const call: TestServer['call'] = async (method, path, opts) => {
    const res = await t.call(method, path, opts);
    seen.push(res.text);
    return res;
  };

  async function sign(orig = ORIG, dest = DEST, origid?: string): Promise<string> {
    const res = await call('POST', '/stir/v1/signing', { role: 'carrier', body: signingBody(orig, dest, origid) });
    assert.equal(res.status, 200, res.text);
    return res.body.signingResponse.identity as string;
  }

  before(async () => {
    pki = await startPki();
    t = await startTestServer({ stirAllowHttpX5u: true, stirCaFile: pki.caFile });
    // What `callshield stir signer add --org "Test carrier" …` does.
    await addSigner(t.ctx, { org: 'Test carrier', privateKeyPem: pki.leaf.privateKeyPem, certificatePem: pki.leaf.certificatePem, x5u: pki.x5u }, CLI_OPERATOR);
    carrierTwoKey = (await createApiKey(t.ctx, { org: 'Carrier Two', role: 'carrier' }, CLI_OPERATOR)).key;
  });
  after(async () => {
    await t?.close();
    pki?.close();
  });

  it('signs through POST /stir/v1/signing and verifies through POST /stir/v1/verification: TN-Validation-Passed', async () => {
    const res = await call('POST', '/stir/v1/signing', { role: 'carrier', body: signingBody() });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(Object.keys(res.body), ['signingResponse']);
    const identity = res.body.signingResponse.identity as string;
    assert.match(identity, /^[\w-]+\.[\w-]+\.[\w-]+;info=<http:\/\/127\.0\.0\.1:\d+\/leaf\.pem>;alg=ES256;ppt=shaken$/);
    const v = await call('POST', '/stir/v1/verification', { role: 'carrier', body: verificationBody(identity) });
    assert.equal(v.status, 200, v.text);
    assert.deepEqual(v.body, { verificationResponse: { verstat: 'TN-Validation-Passed' } });
    // A platform verifies too.
    const p = await call('POST', '/stir/v1/verification', { role: 'platform', body: verificationBody(identity) });
    assert.equal(p.body.verificationResponse.verstat, 'TN-Validation-Passed');
  });

  it('refuses a tampered token with 438, a stale one with 403 and a wrong-CA one with 437', async () => {
    const tampered = await call('POST', '/stir/v1/verification', { role: 'carrier', body: verificationBody(tamper(await sign())) });
    assert.equal(tampered.status, 200);
    assert.equal(tampered.body.verificationResponse.verstat, 'TN-Validation-Failed');
    assert.equal(tampered.body.verificationResponse.reasoncode, 438);

    // The signing route refuses a stale iat itself, so the stale token is signed directly.
    const signer = createSigner({ spc: '1234', x5u: pki.x5u, privateKeyPem: pki.leaf.privateKeyPem, certificatePem: pki.leaf.certificatePem });
    const stale = signer.signIdentity(buildPassportPayload({ attest: 'A', orig: ORIG, dest: [DEST], iat: nowSec() - 120, origid: 'stale-1' }));
    const s = await call('POST', '/stir/v1/verification', { role: 'carrier', body: verificationBody(stale) });
    assert.equal(s.body.verificationResponse.verstat, 'No-TN-Validation');
    assert.equal(s.body.verificationResponse.reasoncode, 403);

    const other = createSigner({ spc: '1234', x5u: pki.otherX5u, privateKeyPem: pki.otherLeaf.privateKeyPem, certificatePem: pki.otherLeaf.certificatePem });
    const wrongCa = other.signIdentity(buildPassportPayload({ attest: 'A', orig: ORIG, dest: [DEST], iat: nowSec(), origid: 'wrong-ca-1' }));
    const w = await call('POST', '/stir/v1/verification', { role: 'carrier', body: verificationBody(wrongCa) });
    assert.equal(w.body.verificationResponse.verstat, 'TN-Validation-Failed');
    assert.equal(w.body.verificationResponse.reasoncode, 437);
  });

  it('a carrier with no configured signer gets a 409 problem STIR_SIGNER_NOT_CONFIGURED', async () => {
    await flushStir(t.ctx);
    const before = await t.ctx.db.selectFrom('stir_traces').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await call('POST', '/stir/v1/signing', { auth: `Bearer ${carrierTwoKey}`, body: signingBody() });
    assert.equal(res.status, 409);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(res.body.code, 'STIR_SIGNER_NOT_CONFIGURED');
    await flushStir(t.ctx);
    const after = await t.ctx.db.selectFrom('stir_traces').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n), 'nothing was recorded');
  });

  it('answers malformed requests in the ATIS serviceException shape, and auth failures as problems', async () => {
    const cases: { opts: Parameters<TestServer['call']>[2]; status: number; messageId: string }[] = [
      { opts: { role: 'carrier' }, status: 400, messageId: 'SVC4000' },
      { opts: { role: 'carrier', raw: '{"signingRequest":' }, status: 400, messageId: 'SVC4006' },
      { opts: { role: 'carrier', raw: 'attest=A', contentType: 'text/plain' }, status: 415, messageId: 'SVC4004' },
      { opts: { role: 'carrier', body: { signingRequest: { attest: 'A' } } }, status: 400, messageId: 'SVC4001' },
      { opts: { role: 'carrier', body: { signingRequest: { ...(signingBody() as { signingRequest: object }).signingRequest, attest: 'D' } } }, status: 400, messageId: 'SVC4005' },
      { opts: { role: 'carrier', body: { signingRequest: { ...(signingBody() as { signingRequest: object }).signingRequest, origid: 'a\u0000b' } } }, status: 400, messageId: 'SVC4005' },
    ];
    for (const c of cases) {
      const res = await call('POST', '/stir/v1/signing', c.opts);
      assert.equal(res.status, c.status, `${JSON.stringify(c.opts)}: ${res.text}`);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(res.body.requestError.serviceException.messageId, c.messageId, res.text);
    }
    const badTime = await call('POST', '/stir/v1/verification', { role: 'carrier', body: { verificationRequest: { from: { tn: ORIG }, to: { tn: [DEST] }, time: 'now', identity: 'x' } } });
    assert.equal(badTime.status, 400);
    assert.equal(badTime.body.requestError.serviceException.messageId, 'SVC4005');
    assert.deepEqual(badTime.body.requestError.serviceException.variables.slice(0, 1), ['time']);

    const noKey = await call('POST', '/stir/v1/signing', { body: signingBody() });
    assert.equal(noKey.status, 401);
    assert.match(noKey.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(noKey.body.code, 'AUTH_MISSING_KEY');
    const app = await call('POST', '/stir/v1/verification', { role: 'app', body: verificationBody('x') });
    assert.equal(app.status, 403);
    assert.equal(app.body.code, 'AUTH_FORBIDDEN');
  });

  it('screens with an Identity header: passed → no penalty; failed → CALLER_ID_FAILED', async () => {
    const caller = `+${ORIG}`;
    const callee = `+${DEST}`;
    const passed = await call('POST', '/v1/screen', { role: 'carrier', body: { caller, callee, channel: 'pstn', identity: await sign() } });
    assert.equal(passed.status, 200, passed.text);
    assert.equal(passed.body.action, 'allow');
    assert.equal(passed.body.score, 0);
    assert.equal(passed.body.verification.verstat, 'TN-Validation-Passed');
    assert.equal(passed.body.verification.attest, 'A');
    assert.equal(passed.body.verification.spc, '1234');
    const codes = (r: { body: { reasons: { code: string }[] } }): string[] => r.body.reasons.map((x) => x.code);
    assert.ok(codes(passed).includes('STIR_ATTEST_A'), JSON.stringify(passed.body.reasons));
    assert.ok(!codes(passed).includes('CALLER_ID_FAILED'));

    // Several Identity headers: the SHAKEN one is used.
    const many = await call('POST', '/v1/screen', { role: 'carrier', body: { caller, callee, channel: 'pstn', identity: [await sign()] } });
    assert.equal(many.body.verification.verstat, 'TN-Validation-Passed');

    const failed = await call('POST', '/v1/screen', { role: 'carrier', body: { caller, callee, channel: 'pstn', identity: tamper(await sign()) } });
    assert.equal(failed.status, 200);
    assert.equal(failed.body.verification.verstat, 'TN-Validation-Failed');
    assert.equal(failed.body.verification.reasonCode, 438);
    assert.ok(codes(failed).includes('CALLER_ID_FAILED'), JSON.stringify(failed.body.reasons));
    assert.ok(failed.body.score >= 25);
    assert.equal(failed.body.label, 'Unverified caller ID');
    assert.match(failed.body.advice ?? '', /./);
    // screenCall scores the failure itself; the STIR risk does not count it twice.
    assert.ok(!codes(failed).includes('STIR_VERIFICATION_FAILED'));
  });

  it('rejects a bad identity field with a problem naming it', async () => {
    const base = { caller: `+${ORIG}`, callee: `+${DEST}`, channel: 'pstn' };
    for (const body of [{ ...base, identity: 5 }, { ...base, identity: [] }, { ...base, identity: '' }]) {
      const res = await call('POST', '/v1/screen', { role: 'carrier', body });
      assert.equal(res.status, 400, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(res.body.code, 'REQUEST_INVALID_BODY');
      assert.equal(res.body.field, 'identity');
    }
    const both = await call('POST', '/v1/screen', { role: 'carrier', body: { ...base, identity: await sign(), attestation: 'A' } });
    assert.equal(both.status, 400);
    assert.equal(both.body.field, 'identity');
    const batch = await call('POST', '/v1/screen/batch', { role: 'carrier', body: { calls: [{ ...base, identity: 'x' }] } });
    assert.equal(batch.status, 400);
    assert.equal(batch.body.code, 'REQUEST_UNKNOWN_FIELD');
  });

  it('a number always signed A that arrives unsigned gets the spoofing reason (identity, verstat or nothing)', async () => {
    const orig = '12127363101';
    const caller = `+${orig}`;
    const callee = `+${DEST}`;
    for (let i = 0; i < 3; i++) {
      const ok = await call('POST', '/v1/screen', { role: 'carrier', body: { caller, callee, channel: 'pstn', identity: await sign(orig) } });
      assert.equal(ok.body.verification.verstat, 'TN-Validation-Passed');
      assert.ok(!ok.body.reasons.some((r: { code: string }) => r.code === 'STIR_SPOOFING_SUSPECTED'));
    }
    const plain = await call('POST', '/v1/screen', { role: 'carrier', body: { caller, callee, channel: 'pstn' } });
    assert.equal(plain.status, 200);
    assert.ok(plain.body.reasons.some((r: { code: string }) => r.code === 'STIR_SPOOFING_SUSPECTED'), JSON.stringify(plain.body.reasons));
    assert.ok(plain.body.score >= 30);
    assert.match(plain.body.advice ?? '', /./);
    const noTn = await call('POST', '/v1/screen', { role: 'carrier', body: { caller, callee, channel: 'pstn', verstat: 'No-TN-Validation' } });
    assert.ok(noTn.body.reasons.some((r: { code: string }) => r.code === 'STIR_SPOOFING_SUSPECTED'));
    // The carrier verified it A itself: nothing suspicious.
    const a = await call('POST', '/v1/screen', { role: 'carrier', body: { caller, callee, channel: 'pstn', verstat: 'TN-Validation-Passed', attestation: 'A' } });
    assert.ok(!a.body.reasons.some((r: { code: string }) => r.code.startsWith('STIR_')), JSON.stringify(a.body.reasons));
    // A number with no history is unaffected.
    const fresh = await call('POST', '/v1/screen', { role: 'carrier', body: { caller: '+8613800138000', callee, channel: 'pstn' } });
    assert.ok(!fresh.body.reasons.some((r: { code: string }) => r.code.startsWith('STIR_')));
    // The history is persisted.
    await flushStir(t.ctx);
    const row = await t.ctx.db.selectFrom('stir_attestation_history').selectAll().where('number', '=', caller).executeTakeFirstOrThrow();
    assert.equal(Number(row.a), 3);
  });

  it('verification through the STI-VS route also builds the history', async () => {
    const orig = '16502530001';
    for (let i = 0; i < 3; i++) {
      const v = await call('POST', '/stir/v1/verification', { role: 'carrier', body: verificationBody(await sign(orig), orig) });
      assert.equal(v.body.verificationResponse.verstat, 'TN-Validation-Passed');
    }
    const plain = await call('POST', '/v1/screen', { role: 'carrier', body: { caller: `+${orig}`, callee: `+${DEST}`, channel: 'pstn' } });
    assert.ok(plain.body.reasons.some((r: { code: string }) => r.code === 'STIR_SPOOFING_SUSPECTED'));
  });

  it('traceback by origid names the signing carrier for police; 403 for app; audited', async () => {
    const origid = '3f1d7c2a-5b6e-4c8d-9a0b-1c2d3e4f5a6b';
    const identity = await sign(ORIG, DEST, origid);
    const v = await call('POST', '/stir/v1/verification', { auth: `Bearer ${carrierTwoKey}`, body: verificationBody(identity) });
    assert.equal(v.body.verificationResponse.verstat, 'TN-Validation-Passed');

    const res = await call('GET', `/stir/v1/traceback?origid=${origid}`, { role: 'police' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.calls.length, 1);
    const traced = res.body.calls[0];
    assert.equal(traced.origid, origid);
    assert.equal(traced.orig, ORIG);
    assert.equal(traced.attest, 'A');
    assert.deepEqual({ orgName: traced.signer.orgName, spc: traced.signer.spc, signedHere: traced.signer.signedHere }, { orgName: 'Test carrier', spc: '1234', signedHere: true });
    assert.equal(traced.verifications.length, 1);
    assert.deepEqual({ orgName: traced.verifications[0].orgName, verstat: traced.verifications[0].verstat, spc: traced.verifications[0].spc }, { orgName: 'Carrier Two', verstat: 'TN-Validation-Passed', spc: '1234' });

    const byNumber = await call('GET', `/stir/v1/traceback?orig=%2B${ORIG}&dest=%2B${DEST}&from=${new Date(Date.now() - 3_600_000).toISOString()}`, { role: 'regulator' });
    assert.equal(byNumber.status, 200, byNumber.text);
    assert.ok(byNumber.body.calls.some((c: { origid: string }) => c.origid === origid));
    const otherDest = await call('GET', `/stir/v1/traceback?orig=${ORIG}&dest=8613911112222`, { role: 'regulator' });
    assert.equal(otherDest.body.calls.length, 0);

    const forbidden = await call('GET', `/stir/v1/traceback?origid=${origid}`, { role: 'app' });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.code, 'AUTH_FORBIDDEN');
    const missing = await call('GET', '/stir/v1/traceback', { role: 'police' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.code, 'REQUEST_INVALID_QUERY');

    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'stir.traceback').orderBy('seq').execute();
    assert.equal(audit.length, 3);
    assert.equal(audit[0]!.subject, `origid:${origid}`);
    assert.match(audit[0]!.actor, /Test police/);
    assert.ok(!audit[1]!.details.includes(DEST), 'the called number is kept hashed in the audit log');
    // The stored record keeps the called number hashed, the calling number in the clear.
    const rows = await t.ctx.db.selectFrom('stir_traces').selectAll().where('origid', '=', origid).execute();
    assert.deepEqual(rows.map((r) => r.direction).sort(), ['signed', 'verified']);
    for (const r of rows) assert.ok(!r.dest_hashes.includes(DEST));
  });

  it('GET /stir/v1/signers: a carrier sees its own, admin every one; never the key', async () => {
    const own = await call('GET', '/stir/v1/signers', { role: 'carrier' });
    assert.equal(own.status, 200);
    assert.deepEqual(own.body.signers.map((s: { orgName: string }) => s.orgName), ['Test carrier']);
    assert.equal(own.body.signers[0].spc, '1234');
    assert.equal(own.body.signers[0].x5u, pki.x5u);
    assert.ok(Date.parse(own.body.signers[0].notAfter) > Date.now());
    const two = await call('GET', '/stir/v1/signers', { auth: `Bearer ${carrierTwoKey}` });
    assert.deepEqual(two.body.signers, []);
    const admin = await call('GET', '/stir/v1/signers', { role: 'admin' });
    assert.equal(admin.body.signers.length, 1);
    const police = await call('GET', '/stir/v1/signers', { role: 'police' });
    assert.equal(police.status, 403);
  });

  it('the private key never appears in a response, and is not stored in the clear', async () => {
    assert.ok(seen.length > 20);
    for (const text of seen) assertNoKey(text, pki.leaf.privateKeyPem, 'response');
    const row = await t.ctx.db.selectFrom('stir_signers').selectAll().executeTakeFirstOrThrow();
    assertNoKey(JSON.stringify(row), pki.leaf.privateKeyPem, 'stir_signers row');
    assert.match(row.sealed_key, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'stir.signer.add').execute();
    assert.equal(audit.length, 1);
    assertNoKey(JSON.stringify(audit), pki.leaf.privateKeyPem, 'audit entry');
  });
});

describe('STIR/SHAKEN configuration and logs', () => {
  let pki: Pki;
  before(async () => {
    pki = await startPki();
  });
  after(() => pki?.close());

  it('an unreadable CALLSHIELD_STIR_CA_FILE fails before listening (CONFIG_INVALID)', async () => {
    for (const stirCaFile of [join(pki.dir, 'missing.pem'), join(pki.dir, 'not-a-cert.pem')]) {
      writeFileSync(join(pki.dir, 'not-a-cert.pem'), 'hello\n');
      const ctx = await openApp(loadConfig({}, { dbPath: join(pki.dir, 'config.db'), logLevel: 'silent', stirCaFile }), { logger: pino({ level: 'silent' }) });
      try {
        await assert.rejects(buildServer(ctx, extraRoutes), (err: { code?: string; field?: string }) => err.code === 'CONFIG_INVALID' && err.field === 'CALLSHIELD_STIR_CA_FILE');
      } finally {
        await ctx.close();
      }
    }
  });

  it('without trust anchors, verification answers a clear 409 problem', async () => {
    const t = await startTestServer({ stirAllowHttpX5u: true });
    try {
      const v = await t.call('POST', '/stir/v1/verification', { role: 'carrier', body: verificationBody('x') });
      assert.equal(v.status, 409);
      assert.match(v.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(v.body.code, 'STIR_VERIFIER_NOT_CONFIGURED');
      assert.match(v.body.detail, /CALLSHIELD_STIR_CA_FILE/);
      const s = await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller: `+${ORIG}`, callee: `+${DEST}`, channel: 'pstn', identity: 'x' } });
      assert.equal(s.status, 409);
      assert.equal(s.body.code, 'STIR_VERIFIER_NOT_CONFIGURED');
      // The plain screening path does not care.
      const plain = await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller: `+${ORIG}`, callee: `+${DEST}`, channel: 'pstn' } });
      assert.equal(plain.status, 200);
    } finally {
      await t.close();
    }
  });

  it('logs at level trace carry no key material', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: 'trace' }, sink);
    const config = loadConfig({}, { dbPath: join(pki.dir, 'logs.db'), logLevel: 'trace', stirCaFile: pki.caFile, stirAllowHttpX5u: true, allowPrivateFetch: true });
    const ctx = await openApp(config, { logger });
    const { key } = await createApiKey(ctx, { org: 'Log carrier', role: 'carrier' }, CLI_OPERATOR);
    await addSigner(ctx, { org: 'Log carrier', privateKeyPem: pki.leaf.privateKeyPem, certificatePem: pki.leaf.certificatePem, x5u: pki.x5u }, CLI_OPERATOR);
    // A wrong key for the certificate: refused, and the refusal does not log the key either.
    await assert.rejects(addSigner(ctx, { org: 'Log carrier', privateKeyPem: pki.otherLeaf.privateKeyPem, certificatePem: pki.leaf.certificatePem, x5u: pki.x5u }, CLI_OPERATOR));
    const server = await buildServer(ctx, extraRoutes);
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const post = (path: string, body: unknown): Promise<Response> =>
        fetch(url + path, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const signed = (await (await post('/stir/v1/signing', signingBody())).json()) as { signingResponse: { identity: string } };
      const verified = (await (await post('/stir/v1/verification', verificationBody(signed.signingResponse.identity))).json()) as { verificationResponse: { verstat: string } };
      assert.equal(verified.verificationResponse.verstat, 'TN-Validation-Passed');
      await post('/stir/v1/signing', { signingRequest: 'nonsense' });
    } finally {
      await server.app.close();
      await ctx.close();
    }
    const log = lines.join('');
    assert.ok(lines.length > 5, 'the server did log');
    assert.match(log, /"route":"\/stir\/v1\/signing"/);
    assertNoKey(log, pki.leaf.privateKeyPem, 'log');
    assertNoKey(log, pki.otherLeaf.privateKeyPem, 'log');
  });
});
