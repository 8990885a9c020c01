import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideAttestation } from '../../../src/stir/attestation.js';

test('A: known customer with a verified number; B: known customer only; C: gateway or unknown', () => {
  assert.equal(decideAttestation({ customerVerified: true, numberVerified: true, gateway: false }), 'A');
  assert.equal(decideAttestation({ customerVerified: true, numberVerified: false, gateway: false }), 'B');
  assert.equal(decideAttestation({ customerVerified: false, numberVerified: true, gateway: false }), 'C');
  assert.equal(decideAttestation({ customerVerified: false, numberVerified: false, gateway: false }), 'C');
  assert.equal(decideAttestation({ customerVerified: true, numberVerified: true, gateway: true }), 'C');
});
