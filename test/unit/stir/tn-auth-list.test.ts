import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTnAuthList, encodeTnAuthList } from '../../../src/stir/tn-auth-list.js';

test('SPC 1234 encodes to 30 08 A0 06 16 04 31 32 33 34 (RFC 8226 §9, EXPLICIT tags)', () => {
  assert.equal(encodeTnAuthList([{ type: 'spc', spc: '1234' }]).toString('hex'), '3008a00616043132333' + '4');
});

test("Asterisk's SPAST1-style one-character SPC decodes from 30 05 A0 03 16 01 31", () => {
  assert.deepEqual(decodeTnAuthList(Buffer.from('3005a003160131', 'hex')), [{ type: 'spc', spc: '1' }]);
});

test('range and single-number entries round-trip', () => {
  const entries = [
    { type: 'spc' as const, spc: '567J' },
    { type: 'range' as const, start: '12155550000', count: 1000 },
    { type: 'one' as const, tn: '12155551212' },
  ];
  assert.deepEqual(decodeTnAuthList(encodeTnAuthList(entries)), entries);
});

test('malformed DER is a CallshieldError, not a crash', () => {
  for (const hex of ['', '30', '3009a006160431323334', '3004a1023000', '04023132', '3003a30100']) {
    assert.throws(() => decodeTnAuthList(Buffer.from(hex, 'hex')), { code: 'STIR_INVALID_CERTIFICATE' });
  }
});

// Found by test/unit/properties/stir.test.ts: contents of 64 KiB and more got a two-byte length
// taken modulo 65536, so the encoding did not decode to what was encoded.
test('values longer than 65535 bytes get a three-byte DER length and round-trip', () => {
  const spc = '7'.repeat(70_000);
  const der = encodeTnAuthList([{ type: 'spc', spc }]);
  assert.deepEqual(decodeTnAuthList(der), [{ type: 'spc', spc }]);
});
