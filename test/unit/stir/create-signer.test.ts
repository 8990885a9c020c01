import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { createSigner } from '../../../src/stir/create-signer.js';
import { createShakenCertificate } from '../../../src/stir/test-pki.js';
import { getTestPki, X5U } from './fixtures.js';

test('a signer never exposes its private key', async () => {
  const { signer, leaf } = await getTestPki();
  const keyBody = leaf.privateKeyPem.split('\n')[1] ?? '';
  assert.equal(JSON.stringify(signer), JSON.stringify({ spc: '1234', x5u: X5U }));
  assert.ok(!inspect(signer, { showHidden: true, depth: 5 }).includes(keyBody));
  assert.ok(!inspect(signer, { showHidden: true, depth: 5 }).includes('PRIVATE'));
  assert.deepEqual(Object.keys(signer).sort(), ['signIdentity', 'signPassport', 'spc', 'x5u']);
});

test('createSigner refuses a key that is not P-256 or not the certificate\'s, and an SPC mismatch', async () => {
  const { leaf, ca } = await getTestPki();
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  assert.throws(() => createSigner({ spc: '1234', x5u: X5U, privateKeyPem: p384, certificatePem: leaf.certificatePem }), { code: 'STIR_INVALID_SIGNER_KEY' });
  const other = await createShakenCertificate({ ca, spc: '1234' });
  assert.throws(() => createSigner({ spc: '1234', x5u: X5U, privateKeyPem: other.privateKeyPem, certificatePem: leaf.certificatePem }), { code: 'STIR_INVALID_SIGNER_KEY' });
  assert.throws(() => createSigner({ spc: '9999', x5u: X5U, privateKeyPem: leaf.privateKeyPem, certificatePem: leaf.certificatePem }), { code: 'STIR_INVALID_CERTIFICATE', field: 'spc' });
  assert.throws(() => createSigner({ spc: '1234', x5u: 'ftp://x/y', privateKeyPem: leaf.privateKeyPem, certificatePem: leaf.certificatePem }), { field: 'x5u' });
  assert.throws(() => createSigner({ spc: '1234', x5u: X5U, privateKeyPem: 'nope', certificatePem: leaf.certificatePem }), { code: 'STIR_INVALID_SIGNER_KEY' });
});
