// Interop with asipto's secsipidx (Debian package secsipidx): tokens we sign pass its check, tokens
// it signs pass ours, and tampered, stale and wrong-CA tokens are refused by both with the same
// class of SIP reason (403, 437 or 438). Skipped when secsipidx is not on PATH.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateResolver } from '../../src/stir/certificate-resolver.js';
import { createSigner } from '../../src/stir/create-signer.js';
import { createHttpFetcher } from '../../src/stir/fetch-certificate.js';
import { buildPassportPayload, encodePassportPart } from '../../src/stir/passport-sign.js';
import { createShakenCertificate, createTestCa } from '../../src/stir/test-pki.js';
import type { StirReasonCode } from '../../src/stir/types.js';
import { verifyIdentity } from '../../src/stir/verify-identity.js';

const HAVE_SECSIPIDX = spawnSync('sh', ['-c', 'command -v secsipidx']).status === 0;
const SKIP = HAVE_SECSIPIDX ? false : 'secsipidx is not on PATH (apt-get install -y secsipidx)';

const ORIG = '12155551212';
const DEST = '12155551213';

/**
 * secsipidx exits with its negative return code mod 256 (shared/stir-shaken.md §4). Classes follow
 * secsipid/secsipid.go's ranges: -1xx certificate (437), -20x header (alg/typ 437, x5u 436, else
 * 438), -231 payload (438), -232 iat expired (403), -25x signature (438), -30x SIP header, -4xx HTTP (436).
 */
function secsipidReason(exitCode: number): StirReasonCode | 'ok' | number {
  if (exitCode === 0) return 'ok';
  const code = exitCode - 256;
  if (code <= -100 && code > -200) return 437;
  if (code === -202 || code === -204 || code === -302) return 437;
  if (code === -205 || code === -303 || (code <= -400 && code > -500)) return 436;
  if (code === -232) return 403;
  if (code === -304) return 428;
  if (code <= -200 && code > -400) return 438;
  return exitCode;
}

function secsipidCheck(dir: string, identity: string, certFile: string, caFile: string): { reason: ReturnType<typeof secsipidReason>; stdout: string } {
  const idFile = join(dir, `identity-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(idFile, identity);
  // -expire 60: its default 0 refuses anything older than a second (shared/stir-shaken.md quirks).
  const r = spawnSync('secsipidx', ['-check', '-fidentity', idFile, '-p', certFile, '-ca-file', caFile, '-cert-verify', '5', '-expire', '60'], { encoding: 'utf8' });
  return { reason: secsipidReason(r.status ?? -1), stdout: r.stdout };
}

function secsipidx(args: string[]): string {
  const r = spawnSync('secsipidx', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `secsipidx ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

test('secsipidx interop', { skip: SKIP }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callshield-stir-'));
  const ca = await createTestCa();
  const leaf = await createShakenCertificate({ ca, spc: '1234' });
  const otherCa = await createTestCa({ commonName: 'SHAKEN Other STI-CA' });
  const otherLeaf = await createShakenCertificate({ ca: otherCa, spc: '1234' });
  const files = {
    ca: join(dir, 'ca.pem'),
    leaf: join(dir, 'leaf.pem'),
    key: join(dir, 'leaf.key'),
    otherLeaf: join(dir, 'other-leaf.pem'),
    otherKey: join(dir, 'other-leaf.key'),
  };
  writeFileSync(files.ca, ca.certificatePem);
  writeFileSync(files.leaf, leaf.certificatePem);
  writeFileSync(files.key, leaf.privateKeyPem, { mode: 0o600 });
  writeFileSync(files.otherLeaf, otherLeaf.certificatePem);
  writeFileSync(files.otherKey, otherLeaf.privateKeyPem, { mode: 0o600 });

  const server = createServer((req, res) => {
    const body = req.url === '/leaf.pem' ? leaf.chainPem : req.url === '/other.pem' ? otherLeaf.chainPem : undefined;
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/x-pem-file', 'cache-control': 'max-age=60' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const x5u = `${base}/leaf.pem`;
  const otherX5u = `${base}/other.pem`;
  const signer = createSigner({ spc: '1234', x5u, privateKeyPem: leaf.privateKeyPem, certificatePem: leaf.certificatePem });
  const otherSigner = createSigner({ spc: '1234', x5u: otherX5u, privateKeyPem: otherLeaf.privateKeyPem, certificatePem: otherLeaf.certificatePem });
  const resolver = createCertificateResolver({ fetcher: createHttpFetcher({ fetch, allowHttp: true }), trustAnchorsPem: ca.certificatePem });
  const ours = async (identity: string) => (await verifyIdentity(identity, { now: Date.now(), from: ORIG, to: DEST }, { certificates: resolver })).reasonCode ?? 'ok';
  const payloadAt = (iat: number, origid = '8c1c9e4a-4b1f-4d2e-9a51-0d6b1f0b9c11') => buildPassportPayload({ attest: 'A', orig: ORIG, dest: [DEST], iat, origid });
  const nowSec = () => Math.floor(Date.now() / 1000);
  const tamper = (identity: string): string => {
    const [jws = '', ...params] = identity.split(';');
    const [h, p, s] = jws.split('.');
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
    claims.attest = claims.attest === 'A' ? 'B' : 'A';
    return [`${h}.${encodePassportPart(claims)}.${s}`, ...params].join(';');
  };

  await t.test('(a) a token we sign passes secsipidx -check', () => {
    const identity = signer.signIdentity(payloadAt(nowSec()));
    const r = secsipidCheck(dir, identity, files.leaf, files.ca);
    assert.equal(r.reason, 'ok');
    assert.match(r.stdout, /^ok/m);
  });

  await t.test('(b) a token secsipidx -sign-full signs passes our verifier (x5u over loopback http)', async () => {
    const origid = '5f0c3a4e-8d2b-4c61-9e7a-3b2d1c0f9e8d';
    const identity = secsipidx(['-sign-full', '-orig-tn', ORIG, '-dest-tn', DEST, '-attest', 'A', '-orig-id', origid, '-x5u', x5u, '-k', files.key]);
    const result = await verifyIdentity(identity, { now: Date.now(), from: ORIG, to: DEST }, { certificates: resolver });
    assert.equal(result.verstat, 'TN-Validation-Passed', result.reasonDesc);
    assert.equal(result.origid, origid);
    assert.equal(result.spc, '1234');
  });

  await t.test('(c) tampered tokens: both refuse with 438', async () => {
    const fromUs = tamper(signer.signIdentity(payloadAt(nowSec())));
    const fromThem = tamper(secsipidx(['-sign-full', '-orig-tn', ORIG, '-dest-tn', DEST, '-attest', 'A', '-orig-id', 'x', '-x5u', x5u, '-k', files.key]));
    for (const identity of [fromUs, fromThem]) {
      assert.equal(await ours(identity), 438);
      assert.equal(secsipidCheck(dir, identity, files.leaf, files.ca).reason, 438);
    }
  });

  await t.test('(c) stale tokens (iat − 61 s): both refuse with 403', async () => {
    const iat = nowSec() - 61;
    const fromUs = signer.signIdentity(payloadAt(iat));
    // secsipidx ignores -iat with -sign-full, but -sign keeps the payload's iat.
    const header = JSON.stringify({ alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u });
    const payload = JSON.stringify(payloadAt(iat));
    const fromThem = `${secsipidx(['-sign', '-header', header, '-payload', payload, '-k', files.key])};info=<${x5u}>;alg=ES256;ppt=shaken`;
    for (const identity of [fromUs, fromThem]) {
      assert.equal(await ours(identity), 403);
      assert.equal(secsipidCheck(dir, identity, files.leaf, files.ca).reason, 403);
    }
  });

  await t.test('(c) a certificate from another CA: both refuse with 437', async () => {
    const fromUs = otherSigner.signIdentity(payloadAt(nowSec()));
    const fromThem = secsipidx(['-sign-full', '-orig-tn', ORIG, '-dest-tn', DEST, '-attest', 'A', '-orig-id', 'x', '-x5u', otherX5u, '-k', files.otherKey]);
    for (const identity of [fromUs, fromThem]) {
      assert.equal(await ours(identity), 437);
      assert.equal(secsipidCheck(dir, identity, files.otherLeaf, files.ca).reason, 437);
    }
  });
});
