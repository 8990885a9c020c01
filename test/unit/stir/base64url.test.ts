// Strict base64url (RFC 4648 §5 without padding): one spelling per byte string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { decodeBase64url, encodeBase64url } from '../../../src/stir/base64url.js';
import { signPassport } from '../../../src/stir/passport-sign.js';
import { formatIdentityHeader } from '../../../src/stir/identity-header.js';
import { verifyIdentity } from '../../../src/stir/verify-identity.js';
import { createTestResolver, getTestPki, X5U } from './fixtures.js';

test('decodes canonical text and refuses other alphabets, padding and a dangling character', () => {
  assert.deepEqual(decodeBase64url(encodeBase64url('any carnal pleas')), Buffer.from('any carnal pleas'));
  for (const bad of ['YQ==', 'a+b/', 'A', 'AAAAA', 'YW Jj']) assert.equal(decodeBase64url(bad), undefined, bad);
});

// Found by test/unit/properties/stir.test.ts: the unused low bits of the last character were ignored,
// so "AB" decoded like "AA" and the last character of a PASSporT signature had four spellings that
// all verified.
test('a last character with unused bits set is not canonical', () => {
  assert.deepEqual(decodeBase64url('AA'), Buffer.from([0]));
  assert.equal(decodeBase64url('AB'), undefined);
  assert.equal(decodeBase64url('AAAAAk'), undefined);
  assert.equal(decodeBase64url('AAB'), undefined);
  assert.deepEqual(decodeBase64url('AAE'), Buffer.from([0, 1]));
});

test('a PASSporT whose signature is re-spelt in its unused bits does not verify', async () => {
  const { leaf } = await getTestPki();
  const { resolver } = await createTestResolver();
  const now = Date.now();
  const jws = signPassport({ attest: 'A', dest: { tn: ['12155551213'] }, iat: Math.floor(now / 1000), orig: { tn: '12155551212' }, origid: 're-spelt' }, X5U, createPrivateKey(leaf.privateKeyPem));
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(jws[jws.length - 1]!);
  const respelt = jws.slice(0, -1) + alphabet[last ^ 1]; // 86 characters: the low 4 bits of the last are unused
  const ok = await verifyIdentity(formatIdentityHeader(jws, X5U), { now }, { certificates: resolver });
  assert.equal(ok.verstat, 'TN-Validation-Passed');
  const result = await verifyIdentity(formatIdentityHeader(respelt, X5U), { now }, { certificates: resolver });
  assert.equal(result.verstat, 'TN-Validation-Failed');
  assert.equal(result.reasonCode, 438);
});
