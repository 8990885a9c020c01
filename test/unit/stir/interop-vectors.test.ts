import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createPublicKey, verify } from 'node:crypto';
import { isCallshieldError } from '../../../src/errors.js';
import { createCertificateResolver } from '../../../src/stir/certificate-resolver.js';
import { parseIdentityHeader } from '../../../src/stir/identity-header.js';
import { parsePassport } from '../../../src/stir/passport-parse.js';
import { readRejection } from '../../../src/stir/stir-rejection.js';
import { verifyIdentity } from '../../../src/stir/verify-identity.js';
import { createFakeFetcher } from './fixtures.js';

const VECTORS = new URL('../../fixtures/stir/libstirshaken/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, VECTORS), 'utf8');
const passportTxt = read('sp/passport.txt');
const BARE_JWS = /PASSporT signed is:\n(\S+)/.exec(passportTxt)?.[1] ?? '';
const IDENTITY = /SIP Identity Header with PASSporT is:\n(\S+)/.exec(passportTxt)?.[1] ?? '';
const X5U = 'http://shaken.signalwire.cloud/sp.pem';
// The vectors' iat is 1603458131 (2020-10-23); verify them on that day.
const VECTOR_NOW = 1603458131_000 + 5_000;

function libstirshakenResolver(profile: 'off' | 'basic') {
  const fetcher = createFakeFetcher({ [X5U]: read('sp/sp.pem') });
  return createCertificateResolver({ fetcher, trustAnchorsPem: read('ca/ca.pem'), profile });
}

test('libstirshaken vectors: both signatures verify with sp.pub in node:crypto', () => {
  const key = createPublicKey(read('sp/sp.pub'));
  for (const jws of [BARE_JWS, parseIdentityHeader(IDENTITY).jws]) {
    const parsed = parsePassport(jws, { strict: false });
    assert.equal(parsed.signature.length, 64);
    assert.ok(verify('sha256', Buffer.from(parsed.signingInput), { key, dsaEncoding: 'ieee-p1363' }, parsed.signature));
  }
});

test('libstirshaken Identity header passes a lenient verifier under a fixed clock, with warnings', async () => {
  const result = await verifyIdentity(IDENTITY, { now: VECTOR_NOW, from: '01256789999', to: '01256500600' }, { certificates: libstirshakenResolver('off'), strict: false });
  assert.equal(result.verstat, 'TN-Validation-Passed', result.reasonDesc);
  assert.equal(result.attest, 'A');
  assert.equal(result.origid, 'ref');
  assert.deepEqual(result.warnings, ["'orig' was a JSON-encoded string", "'dest' was a JSON-encoded string", "'dest.tn' was a string, not an array"]);
});

test('libstirshaken Identity header: strict mode flags the JSON-string orig/dest claims with 438', async () => {
  const result = await verifyIdentity(IDENTITY, { now: VECTOR_NOW }, { certificates: libstirshakenResolver('off') });
  assert.equal(result.reasonCode, 438);
  assert.equal(result.verstat, 'No-TN-Validation');
  assert.match(result.reasonDesc ?? '', /'orig' claim is a JSON-encoded string/);
});

test('libstirshaken certificate has no SPC TNAuthList: the basic profile refuses it with 437', async () => {
  const result = await verifyIdentity(IDENTITY, { now: VECTOR_NOW }, { certificates: libstirshakenResolver('basic'), strict: false });
  assert.equal(result.reasonCode, 437);
  assert.equal(result.verstat, 'TN-Validation-Failed');
});

test('libstirshaken vector verified today is 403 Stale Date', async () => {
  const result = await verifyIdentity(IDENTITY, { now: Date.now() }, { certificates: libstirshakenResolver('off'), strict: false });
  assert.equal(result.reasonCode, 403);
  assert.equal(result.reasonText, 'Stale Date');
  assert.equal(result.verstat, 'No-TN-Validation');
});

test('libstirshaken bare JWS with one signature byte flipped is 438, TN-Validation-Failed', async () => {
  const fetcher = createFakeFetcher({ [X5U]: read('sp/sp.pem') });
  const resolver = createCertificateResolver({ fetcher, trustAnchorsPem: read('ca/ca.pem'), profile: 'off' });
  // Corrupt one byte of a valid signature.
  const [h, p, s] = BARE_JWS.split('.');
  const sig = Buffer.from(s ?? '', 'base64url');
  sig[10] = (sig[10] as number) ^ 0xff;
  const tampered = `${h}.${p}.${sig.toString('base64url')};info=<${X5U}>;alg=ES256;ppt=shaken`;
  const result = await verifyIdentity(tampered, { now: VECTOR_NOW }, { certificates: resolver, strict: false });
  assert.equal(result.reasonCode, 438);
  assert.equal(result.verstat, 'TN-Validation-Failed');
});

// asterisk/testsuite tests/channels/pjsip/stir_shaken/stir_shaken_mismatch/sipp/send-invite.xml:
// DER signature (71 bytes), no dest claim, and `>alg=` with no ';'.
const ASTERISK =
  'eyJhbGciOiJFUzI1NiIsInBwdCI6InNoYWtlbiIsInR5cCI6InBhc3Nwb3J0IiwieDV1IjoiaHR0cDovLzEyNy4wLjAuMTo4MDg4L3B1YmxpY194NTA5X2NlcnQucGVtIn0.' +
  'eyJvcmlnIjp7InRuIjoiMTIzNDU2NyJ9LCJhdHRlc3QiOiJDIiwib3JpZ2lkIjoiZjhhNzc2MDktYmQwMS00MzdhLWE4YmQtOWE3YzE1MThhMzQ4IiwiaWF0IjoxNjIwNjY3ODQyfQ.' +
  'MEUCIHlUek8KQZPh9PQRxyy7st4JNDaB9vvAj55f1V1fxsxPAiEAl5TANXspZkJd8QNp40fU4_iVn3wuuKjbnZENrIeKvbs' +
  ';info=<http://127.0.0.1:8088/public_x509_cert.pem>alg=ES256;ppt=shaken';
const ASTERISK_NOW = 1620667842_000;

test('Asterisk negative vector is 438 for each of its three faults', async () => {
  const deps = { certificates: libstirshakenResolver('off') };
  const asIs = await verifyIdentity(ASTERISK, { now: ASTERISK_NOW }, deps);
  assert.equal(asIs.reasonCode, 438);
  assert.match(asIs.reasonDesc ?? '', /separated by ';'/);
  // Fix the parameter separator: the missing dest claim is still 438.
  const fixedParams = ASTERISK.replace('>alg=', '>;alg=');
  const noDest = await verifyIdentity(fixedParams, { now: ASTERISK_NOW }, deps);
  assert.equal(noDest.reasonCode, 438);
  assert.match(noDest.reasonDesc ?? '', /Missing 'dest'/);
  // The 71-byte DER signature alone is refused too.
  const sig = ASTERISK.split(';')[0]?.split('.')[2] ?? '';
  assert.equal(Buffer.from(sig, 'base64url').length, 71);
  try {
    parsePassport(`${BARE_JWS.split('.').slice(0, 2).join('.')}.${sig}`, { strict: false });
    assert.fail('expected a rejection');
  } catch (err) {
    assert.ok(isCallshieldError(err));
    assert.equal(readRejection(err)?.reasonCode, 438);
    assert.match(err.message, /64-byte/);
  }
});
