import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handleSigningRequest } from '../../../src/stir/signing-request.js';
import { handleVerificationRequest } from '../../../src/stir/verification-request.js';
import { createTestResolver, getTestPki } from './fixtures.js';

function request(now: number) {
  return { signingRequest: { attest: 'A', dest: { tn: ['12155551213'] }, iat: Math.floor(now / 1000), orig: { tn: '12155551212' } } };
}

test('verification: ATIS-1000082 request → verificationResponse; failures carry reasoncode/text/desc', async () => {
  const { signer } = await getTestPki();
  const { resolver } = await createTestResolver();
  const now = Date.now();
  const signed = handleSigningRequest(request(now), signer, now);
  const identity = (signed.body as { signingResponse: { identity: string } }).signingResponse.identity;
  const body = { verificationRequest: { from: { tn: '12155551212' }, to: { tn: ['12155551213'] }, time: Math.floor(now / 1000), identity } };
  const ok = await handleVerificationRequest(body, { certificates: resolver }, now);
  assert.deepEqual(ok.body, { verificationResponse: { verstat: 'TN-Validation-Passed' } });
  assert.equal(ok.trace?.origid, signed.origid);
  assert.equal(ok.trace?.direction, 'verified');

  const mismatch = await handleVerificationRequest({ verificationRequest: { ...body.verificationRequest, from: { tn: '12125550000' } } }, { certificates: resolver }, now);
  assert.deepEqual(mismatch.body, {
    verificationResponse: { verstat: 'No-TN-Validation', reasoncode: 438, reasontext: 'Invalid Identity Header', reasondesc: "The 'orig' claim does not match the calling number" },
  });
  const stale = await handleVerificationRequest({ verificationRequest: { ...body.verificationRequest, time: Math.floor(now / 1000) - 120 } }, { certificates: resolver }, now);
  assert.equal(stale.status, 200);
  assert.deepEqual(stale.body, { verificationResponse: { verstat: 'No-TN-Validation', reasoncode: 403, reasontext: 'Stale Date', reasondesc: "Received 'time' value is not fresh." } });
});

test('verification request errors: missing and malformed members', async () => {
  const { resolver } = await createTestResolver();
  const now = Date.now();
  const full = { from: { tn: '1' }, to: { tn: ['2'] }, time: Math.floor(now / 1000), identity: 'x' };
  const missing = await handleVerificationRequest({ verificationRequest: { ...full, identity: undefined } }, { certificates: resolver }, now);
  assert.equal(missing.status, 400);
  assert.deepEqual((missing.body as { requestError: { serviceException: { messageId: string; variables: string[] } } }).requestError.serviceException.messageId, 'SVC4001');
  for (const bad of [{ ...full, to: { tn: '2' } }, { ...full, time: 'now' }, { ...full, from: 'x' }, { ...full, identity: '' }]) {
    const out = await handleVerificationRequest({ verificationRequest: bad }, { certificates: resolver }, now);
    assert.equal(out.status, 400, JSON.stringify(bad));
  }
  const garbage = await handleVerificationRequest({ verificationRequest: full }, { certificates: resolver }, now);
  assert.equal(garbage.status, 200);
  assert.equal((garbage.body as { verificationResponse: { reasoncode: number } }).verificationResponse.reasoncode, 438);
});
