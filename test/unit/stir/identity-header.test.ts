import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCallshieldError } from '../../../src/errors.js';
import { formatIdentityHeader, parseIdentityHeader, selectShakenIdentity } from '../../../src/stir/identity-header.js';
import { buildPassportPayload } from '../../../src/stir/passport-sign.js';
import { readRejection } from '../../../src/stir/stir-rejection.js';
import { verifyIdentity } from '../../../src/stir/verify-identity.js';
import { createTestResolver, getTestPki, X5U } from './fixtures.js';

const JWS = 'eyJhIjoxfQ.eyJiIjoyfQ.c2ln-_';

function reasonOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    assert.ok(isCallshieldError(err), `expected a CallshieldError, got ${String(err)}`);
    return readRejection(err)?.reasonCode;
  }
  return undefined;
}

test('format and parse round-trip, with base64url - and _ in the digest', () => {
  const header = parseIdentityHeader(formatIdentityHeader(JWS, X5U));
  assert.equal(header.jws, JWS);
  assert.equal(header.info, X5U);
  assert.equal(header.alg, 'ES256');
  assert.equal(header.ppt, 'shaken');
});

test('parse tolerates the header name, whitespace around ; and =, case of names and quoted values', () => {
  const header = parseIdentityHeader(`Identity:  ${JWS} ; INFO = <${X5U}> ;alg="ES256"; ppt=shaken`);
  assert.equal(header.info, X5U);
  assert.equal(header.alg, 'ES256');
});

test('missing ;info is 436', () => {
  assert.equal(reasonOf(() => parseIdentityHeader(`${JWS};alg=ES256;ppt=shaken`)), 436);
});

test('info without angle brackets or not an http(s) URI is 436', () => {
  assert.equal(reasonOf(() => parseIdentityHeader(`${JWS};info=${X5U};ppt=shaken`)), 436);
  assert.equal(reasonOf(() => parseIdentityHeader(`${JWS};info=<ftp://x/c.pem>;ppt=shaken`)), 436);
  assert.equal(reasonOf(() => parseIdentityHeader(`${JWS};info=<not a uri>`)), 436);
});

test('a digest that is not a JWS, duplicate parameters and junk after info are 438', () => {
  assert.equal(reasonOf(() => parseIdentityHeader(`abc;info=<${X5U}>`)), 438);
  assert.equal(reasonOf(() => parseIdentityHeader(`a+b.c.d;info=<${X5U}>`)), 438);
  assert.equal(reasonOf(() => parseIdentityHeader(`${JWS};info=<${X5U}>;ppt=shaken;ppt=div`)), 438);
  assert.equal(reasonOf(() => parseIdentityHeader(`${JWS};info=<${X5U}>alg=ES256`)), 438);
});

test('an empty header is 428', () => {
  assert.equal(reasonOf(() => parseIdentityHeader('  ')), 428);
  assert.equal(reasonOf(() => selectShakenIdentity([])), 428);
});

test('several Identity headers: the ppt=shaken one is chosen, as separate headers or comma-joined', () => {
  const div = `eyJ4IjoxfQ.eyJ5IjoyfQ.ZGl2;info=<https://div.example/c.pem>;alg=ES256;ppt=div`;
  const shaken = formatIdentityHeader(JWS, X5U);
  assert.equal(selectShakenIdentity([div, shaken]).info, X5U);
  assert.equal(selectShakenIdentity(`${div}, ${shaken}`).info, X5U);
  assert.equal(selectShakenIdentity([shaken, div]).info, X5U);
  // A comma inside the info URI does not split the value.
  assert.equal(selectShakenIdentity(`${JWS};info=<https://x.example/a,b.pem>;ppt=shaken`).info, 'https://x.example/a,b.pem');
  // Only non-SHAKEN PASSporTs: 438.
  assert.equal(reasonOf(() => selectShakenIdentity([div])), 438);
});

test('x5u different from info is 436 in the verifier', async () => {
  const { signer } = await getTestPki();
  const { resolver } = await createTestResolver();
  const now = Date.now();
  const jws = signer.signPassport(buildPassportPayload({ attest: 'A', orig: '12155551212', dest: ['12155551213'], iat: Math.floor(now / 1000), origid: 'o' }));
  const result = await verifyIdentity(formatIdentityHeader(jws, 'https://elsewhere.example/cert.pem'), { now }, { certificates: resolver });
  assert.equal(result.reasonCode, 436);
  assert.equal(result.reasonText, 'Bad Identity Info');
  assert.match(result.reasonDesc ?? '', /x5u/);
});

// Found by test/unit/properties/stir.test.ts: the quick ppt look-up also searched the info URI, so a
// div Identity whose URL held ";ppt=shaken;" was taken for the SHAKEN one.
test('a ";ppt=shaken" inside an info URI does not make that Identity the SHAKEN one', () => {
  const div = 'eyJoIjoxfQ.e30.MQ;info=<http://a.example/x;ppt=shaken;v=1>;alg=ES256;ppt=div';
  const shaken = 'eyJoIjowfQ.e30.MA;info=<http://a.example/c.pem>;alg=ES256;ppt=shaken';
  assert.equal(selectShakenIdentity([div, shaken]).jws, 'eyJoIjowfQ.e30.MA');
  assert.equal(selectShakenIdentity(`${div}, ${shaken}`).jws, 'eyJoIjowfQ.e30.MA');
});
