import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attestationRisk, emptyAttestationHistory, updateAttestationHistory } from '../../../src/stir/attestation-risk.js';
import type { AttestationHistory } from '../../../src/stir/attestation-risk.js';
import type { VerificationResult } from '../../../src/stir/types.js';

const passedA: VerificationResult = { verstat: 'TN-Validation-Passed', attest: 'A' };
const passedC: VerificationResult = { verstat: 'TN-Validation-Passed', attest: 'C' };
const failed: VerificationResult = { verstat: 'TN-Validation-Failed', reasonCode: 438, reasonDesc: 'The PASSporT signature does not verify' };
const stale: VerificationResult = { verstat: 'No-TN-Validation', reasonCode: 403 };

function historyOf(results: (VerificationResult | undefined)[]): AttestationHistory {
  return results.reduce<AttestationHistory>((h, r, i) => updateAttestationHistory(h, r, 1000 * i), emptyAttestationHistory());
}

test('updateAttestationHistory counts outcomes without mutating its input', () => {
  const start = emptyAttestationHistory();
  const h = updateAttestationHistory(start, passedA, 5);
  assert.deepEqual(start, emptyAttestationHistory());
  assert.deepEqual(h, { A: 1, B: 0, C: 0, failed: 0, unsigned: 0, lastSeen: 5, lastSignedA: 5 });
  const h2 = updateAttestationHistory(updateAttestationHistory(updateAttestationHistory(h, failed, 6), undefined, 7), stale, 8);
  assert.deepEqual(h2, { A: 1, B: 0, C: 0, failed: 1, unsigned: 2, lastSeen: 8, lastSignedA: 5 });
});

test('passing A lowers risk, C raises it a little, failure raises it a lot', () => {
  assert.ok(attestationRisk(passedA, undefined).delta < 0);
  assert.ok(attestationRisk(passedC, undefined).delta > 0);
  const f = attestationRisk(failed, undefined);
  assert.ok(f.delta >= 30);
  assert.equal(f.reasons[0]?.code, 'STIR_VERIFICATION_FAILED');
  assert.equal(attestationRisk(stale, undefined).reasons[0]?.code, 'STIR_STALE');
});

test('an unsigned call is neutral for a number never seen signed', () => {
  assert.deepEqual(attestationRisk(undefined, undefined), { delta: 0, reasons: [] });
  assert.deepEqual(attestationRisk(undefined, historyOf([undefined, undefined, undefined])), { delta: 0, reasons: [] });
});

test('a number usually signed A arriving unsigned or failed is a spoofing sign', () => {
  const usuallyA = historyOf([passedA, passedA, passedA, passedA]);
  const unsigned = attestationRisk(undefined, usuallyA);
  assert.deepEqual(unsigned.reasons.map((r) => r.code), ['STIR_UNSIGNED', 'STIR_SPOOFING_SUSPECTED']);
  assert.ok(unsigned.delta >= 30);
  const bad = attestationRisk(failed, usuallyA);
  assert.ok(bad.delta > unsigned.delta);
  assert.ok(bad.reasons.some((r) => r.code === 'STIR_SPOOFING_SUSPECTED'));
  assert.equal(attestationRisk(passedA, usuallyA).reasons.some((r) => r.code === 'STIR_SPOOFING_SUSPECTED'), false);
  // Two A calls are not yet a pattern.
  assert.equal(attestationRisk(undefined, historyOf([passedA, passedA])).delta, 0);
});
