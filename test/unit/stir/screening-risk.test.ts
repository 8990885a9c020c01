// How a verification result and the attestation history become screening points
// (src/operations/stir/screen.ts): everything screenCall does not score itself, never twice.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { identityRisk } from '../../../src/operations/stir/screen.js';
import type { AttestationHistory, VerificationResult } from '../../../src/stir/index.js';

const usuallyA: AttestationHistory = { A: 5, B: 0, C: 0, failed: 0, unsigned: 0, lastSeen: 1, lastSignedA: 1 };
const codes = (r: { reasons: readonly { code: string }[] } | undefined): string[] => (r ? r.reasons.map((x) => x.code) : []);

describe('identityRisk', () => {
  it('passed A lowers the score; B a little', () => {
    const a = identityRisk({ verstat: 'TN-Validation-Passed', attest: 'A' }, undefined);
    assert.deepEqual({ delta: a?.delta, codes: codes(a), spoof: a?.spoofingSuspected }, { delta: -15, codes: ['STIR_ATTEST_A'], spoof: false });
    const b = identityRisk({ verstat: 'TN-Validation-Passed', attest: 'B' }, undefined);
    assert.equal(b?.delta, -5);
  });

  it('failed and C are left to screenCall (CALLER_ID_FAILED, ATTESTATION_C); only the history part is added', () => {
    const failed: VerificationResult = { verstat: 'TN-Validation-Failed', reasonCode: 438 };
    assert.equal(identityRisk(failed, undefined), undefined);
    const withHistory = identityRisk(failed, usuallyA);
    assert.deepEqual(codes(withHistory), ['STIR_SPOOFING_SUSPECTED']);
    assert.equal(withHistory?.delta, 30);
    assert.equal(withHistory?.spoofingSuspected, true);
    assert.equal(identityRisk({ verstat: 'TN-Validation-Passed', attest: 'C' }, undefined), undefined);
    assert.deepEqual(codes(identityRisk({ verstat: 'TN-Validation-Passed', attest: 'C' }, usuallyA)), ['STIR_SPOOFING_SUSPECTED']);
  });

  it('stale and unverifiable tokens are scored here', () => {
    assert.deepEqual(codes(identityRisk({ verstat: 'No-TN-Validation', reasonCode: 403 }, undefined)), ['STIR_STALE']);
    assert.equal(identityRisk({ verstat: 'No-TN-Validation', reasonCode: 403 }, undefined)?.delta, 20);
    const bad = identityRisk({ verstat: 'No-TN-Validation', reasonCode: 438 }, usuallyA);
    assert.deepEqual(codes(bad), ['STIR_NOT_VERIFIABLE', 'STIR_SPOOFING_SUSPECTED']);
    assert.equal(bad?.delta, 40);
  });
});
