import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertificateResolver } from '../../../src/stir/certificate-resolver.js';
import { createSigner } from '../../../src/stir/create-signer.js';
import { formatIdentityHeader } from '../../../src/stir/identity-header.js';
import { buildPassportPayload, encodePassportPart, signPassport } from '../../../src/stir/passport-sign.js';
import { createShakenCertificate, createTestCa, createTestCrl } from '../../../src/stir/test-pki.js';
import { verifyIdentity } from '../../../src/stir/verify-identity.js';
import { createFakeFetcher, createTestResolver, getTestPki, X5U } from './fixtures.js';
import { createPrivateKey } from 'node:crypto';

const ORIG = '12155551212';
const DEST = '12155551213';

async function signedNow(overrides: Partial<{ iat: number; orig: string; dest: string[]; attest: 'A' | 'B' | 'C' }> = {}) {
  const { signer } = await getTestPki();
  const now = Date.now();
  const payload = buildPassportPayload({
    attest: overrides.attest ?? 'A',
    orig: overrides.orig ?? ORIG,
    dest: overrides.dest ?? [DEST],
    iat: overrides.iat ?? Math.floor(now / 1000),
    origid: '123e4567-e89b-12d3-a456-426614174000',
  });
  return { identity: signer.signIdentity(payload), now, payload };
}

test('a fresh token from a trusted SHAKEN certificate passes, with SPC, origid and a trace record', async () => {
  const { identity, now } = await signedNow();
  const { resolver } = await createTestResolver();
  const result = await verifyIdentity(identity, { from: '+1 (215) 555-1212', to: `tel:+${DEST}`, now }, { certificates: resolver });
  assert.equal(result.verstat, 'TN-Validation-Passed', result.reasonDesc);
  assert.equal(result.reasonCode, undefined);
  assert.equal(result.attest, 'A');
  assert.equal(result.spc, '1234');
  assert.equal(result.x5u, X5U);
  assert.equal(result.origid, '123e4567-e89b-12d3-a456-426614174000');
  assert.deepEqual(result.trace, {
    origid: '123e4567-e89b-12d3-a456-426614174000',
    spc: '1234',
    orig: ORIG,
    dest: [DEST],
    attest: 'A',
    iat: Math.floor(now / 1000),
    direction: 'verified',
    verifiedAt: now,
    verstat: 'TN-Validation-Passed',
    x5u: X5U,
  });
});

test('no Identity header is 428', async () => {
  const { resolver } = await createTestResolver();
  for (const missing of [undefined, null, [] as string[]]) {
    const result = await verifyIdentity(missing, { now: Date.now() }, { certificates: resolver });
    assert.equal(result.reasonCode, 428);
    assert.equal(result.verstat, 'No-TN-Validation');
  }
});

test('iat 61 s old (or ahead) is 403 Stale Date without fetching the certificate; 60 s is fine', async () => {
  const now = Date.now();
  const sec = Math.floor(now / 1000);
  const { resolver, fetcher } = await createTestResolver();
  for (const iat of [sec - 61, sec + 61]) {
    const { identity } = await signedNow({ iat });
    const result = await verifyIdentity(identity, { now }, { certificates: resolver });
    assert.equal(result.reasonCode, 403);
    assert.equal(result.verstat, 'No-TN-Validation');
  }
  assert.equal(fetcher.calls.length, 0);
  const { identity } = await signedNow({ iat: sec - 60 });
  assert.equal((await verifyIdentity(identity, { now }, { certificates: resolver })).verstat, 'TN-Validation-Passed');
});

test('a tampered payload is 438 TN-Validation-Failed', async () => {
  const { identity, now, payload } = await signedNow();
  const forged = encodePassportPart({ ...payload, orig: { tn: '12125550000' } });
  const [jws, ...params] = identity.split(';');
  const parts = (jws ?? '').split('.');
  const tampered = [[parts[0], forged, parts[2]].join('.'), ...params].join(';');
  const { resolver } = await createTestResolver();
  const result = await verifyIdentity(tampered, { now }, { certificates: resolver });
  assert.equal(result.reasonCode, 438);
  assert.equal(result.verstat, 'TN-Validation-Failed');
});

test('orig or dest different from the call is 438', async () => {
  const { identity, now } = await signedNow();
  const { resolver } = await createTestResolver();
  assert.equal((await verifyIdentity(identity, { from: '12125550000', now }, { certificates: resolver })).reasonCode, 438);
  assert.equal((await verifyIdentity(identity, { to: '12125550000', now }, { certificates: resolver })).reasonCode, 438);
});

test('typ, alg or ppt wrong: 437, 437, 438', async () => {
  const { leaf } = await getTestPki();
  const key = createPrivateKey(leaf.privateKeyPem);
  const now = Date.now();
  const payload = buildPassportPayload({ attest: 'A', orig: ORIG, dest: [DEST], iat: Math.floor(now / 1000), origid: 'x' });
  const { resolver } = await createTestResolver();
  const cases: [Record<string, string>, number][] = [
    [{ alg: 'ES256', ppt: 'shaken', typ: 'JWT', x5u: X5U }, 437],
    [{ alg: 'ES384', ppt: 'shaken', typ: 'passport', x5u: X5U }, 437],
    [{ alg: 'ES256', ppt: 'div', typ: 'passport', x5u: X5U }, 438],
    [{ alg: 'ES256', ppt: 'shaken', typ: 'passport' }, 436],
  ];
  for (const [header, code] of cases) {
    const jws = signPassport(payload, X5U, key, encodePassportPart(header));
    const result = await verifyIdentity(`${jws};info=<${X5U}>`, { now }, { certificates: resolver });
    assert.equal(result.reasonCode, code, JSON.stringify(header));
  }
});

test('a certificate from another CA is 437 TN-Validation-Failed', async () => {
  const otherCa = await createTestCa({ commonName: 'SHAKEN Other CA' });
  const otherLeaf = await createShakenCertificate({ ca: otherCa, spc: '1234' });
  const signer = createSigner({ spc: '1234', x5u: X5U, privateKeyPem: otherLeaf.privateKeyPem, certificatePem: otherLeaf.certificatePem });
  const now = Date.now();
  const identity = signer.signIdentity(buildPassportPayload({ attest: 'A', orig: ORIG, dest: [DEST], iat: Math.floor(now / 1000), origid: 'x' }));
  const { ca } = await getTestPki();
  const resolver = createCertificateResolver({ fetcher: createFakeFetcher({ [X5U]: otherLeaf.chainPem }), trustAnchorsPem: ca.certificatePem });
  const result = await verifyIdentity(identity, { now }, { certificates: resolver });
  assert.equal(result.reasonCode, 437);
  assert.equal(result.verstat, 'TN-Validation-Failed');
  assert.match(result.reasonDesc ?? '', /trusted STI-CA/);
});

test('an expired certificate is 437', async () => {
  const { ca } = await getTestPki();
  const longAgo = Date.now() - 400 * 86_400_000;
  const old = await createShakenCertificate({ ca, spc: '1234', now: longAgo, days: 30 });
  const signer = createSigner({ spc: '1234', x5u: X5U, privateKeyPem: old.privateKeyPem, certificatePem: old.certificatePem });
  const now = Date.now();
  const identity = signer.signIdentity(buildPassportPayload({ attest: 'A', orig: ORIG, dest: [DEST], iat: Math.floor(now / 1000), origid: 'x' }));
  const resolver = createCertificateResolver({ fetcher: createFakeFetcher({ [X5U]: old.chainPem }), trustAnchorsPem: ca.certificatePem });
  const result = await verifyIdentity(identity, { now }, { certificates: resolver });
  assert.equal(result.reasonCode, 437);
  assert.match(result.reasonDesc ?? '', /validity/);
});

test('an unfetchable x5u is 436 and is not cached', async () => {
  const { identity, now } = await signedNow();
  const { ca } = await getTestPki();
  const fetcher = createFakeFetcher({});
  const resolver = createCertificateResolver({ fetcher, trustAnchorsPem: ca.certificatePem });
  const result = await verifyIdentity(identity, { now }, { certificates: resolver });
  assert.equal(result.reasonCode, 436);
  assert.equal(result.verstat, 'No-TN-Validation');
  await verifyIdentity(identity, { now }, { certificates: resolver });
  assert.equal(fetcher.calls.length, 2);
});

test('x5u serving something that is not a certificate is 436', async () => {
  const { identity, now } = await signedNow();
  const { ca } = await getTestPki();
  const resolver = createCertificateResolver({ fetcher: createFakeFetcher({ [X5U]: '<html>not here</html>' }), trustAnchorsPem: ca.certificatePem });
  assert.equal((await verifyIdentity(identity, { now }, { certificates: resolver })).reasonCode, 436);
});

test('the warm path fetches once and reuses the validated certificate', async () => {
  const { resolver, fetcher } = await createTestResolver();
  for (let i = 0; i < 5; i++) {
    const { identity, now } = await signedNow();
    assert.equal((await verifyIdentity(identity, { now }, { certificates: resolver })).verstat, 'TN-Validation-Passed');
  }
  assert.equal(fetcher.calls.length, 1);
  assert.equal(resolver.cache.size, 1);
});

test('CRL: a revoked certificate is 437; an unavailable CRL is 437 unless allowed', async () => {
  const { ca, leaf } = await getTestPki();
  const crlUrl = 'http://127.0.0.1/sti-pa.crl';
  const { identity, now } = await signedNow();
  const revokedCrl = await createTestCrl({ ca, revokedSerials: [leaf.serialNumber] });
  const cleanCrl = await createTestCrl({ ca, revokedSerials: ['0A0B0C0D0E0F1011'] });
  const run = async (docs: Record<string, string>, allowUnavailable: boolean) => {
    const fetcher = createFakeFetcher({ [X5U]: leaf.chainPem, ...docs });
    const resolver = createCertificateResolver({ fetcher, trustAnchorsPem: ca.certificatePem, crl: { fetcher, allowUnavailable } });
    return verifyIdentity(identity, { now }, { certificates: resolver });
  };
  const revoked = await run({ [crlUrl]: revokedCrl }, false);
  assert.equal(revoked.reasonCode, 437);
  assert.match(revoked.reasonDesc ?? '', /revoked/);
  assert.equal((await run({ [crlUrl]: cleanCrl }, false)).verstat, 'TN-Validation-Passed');
  assert.equal((await run({}, false)).reasonCode, 437);
  assert.equal((await run({}, true)).verstat, 'TN-Validation-Passed');
  // A CRL signed by someone else counts as unavailable.
  const stranger = await createTestCa({ commonName: 'SHAKEN Stranger' });
  assert.equal((await run({ [crlUrl]: await createTestCrl({ ca: stranger, revokedSerials: [] }) }, false)).reasonCode, 437);
});

test('an alg=ES384 Identity parameter is 437', async () => {
  const { identity, now } = await signedNow();
  const { resolver } = await createTestResolver();
  const result = await verifyIdentity(identity.replace('alg=ES256', 'alg=ES384'), { now }, { certificates: resolver });
  assert.equal(result.reasonCode, 437);
});

test('formatIdentityHeader round trip through verifyIdentity with several headers', async () => {
  const { identity, now } = await signedNow();
  const { resolver } = await createTestResolver();
  const div = formatIdentityHeader('eyJ4IjoxfQ.eyJ5IjoyfQ.ZGl2', 'https://div.example/c.pem').replace('ppt=shaken', 'ppt=div');
  assert.equal((await verifyIdentity([div, identity], { now }, { certificates: resolver })).verstat, 'TN-Validation-Passed');
});
