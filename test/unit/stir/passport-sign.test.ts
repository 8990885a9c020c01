import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { serialiseCanonicalJson } from '../../../src/stir/canonical-json.js';
import { buildPassportPayload, encodePassportPart, serialisePassportPayload } from '../../../src/stir/passport-sign.js';
import type { PassportPayload } from '../../../src/stir/types.js';
import { parsePassport } from '../../../src/stir/passport-parse.js';
import { getTestPki, X5U } from './fixtures.js';

// RFC 8225 Appendix A, as quoted in libstirshaken test/stir_shaken_test_5.c.
const APP_A_HEADER = 'eyJhbGciOiJFUzI1NiIsInR5cCI6InBhc3Nwb3J0IiwieDV1IjoiaHR0cHM6Ly9jZXJ0LmV4YW1wbGUub3JnL3Bhc3Nwb3J0LmNlciJ9';
const APP_A_PAYLOAD =
  'eyJkZXN0Ijp7InVyaSI6WyJzaXA6YWxpY2VAZXhhbXBsZS5jb20iXX0sImlhdCI6MTQ3MTM3NTQxOCwib3JpZyI6eyJ0biI6IjEyMTU1NTUxMjEyIn19';

test('RFC 8225 App. A: header and payload serialise to the published strings whatever the key order', () => {
  assert.equal(encodePassportPart({ x5u: 'https://cert.example.org/passport.cer', typ: 'passport', alg: 'ES256' }), APP_A_HEADER);
  assert.equal(encodePassportPart({ orig: { tn: '12155551212' }, iat: 1471375418, dest: { uri: ['sip:alice@example.com'] } }), APP_A_PAYLOAD);
});

test('canonical JSON sorts nested keys, drops undefined members and adds no whitespace', () => {
  assert.equal(serialiseCanonicalJson({ b: [{ z: 1, a: 'x' }], a: undefined, c: 'é' }), '{"b":[{"a":"x","z":1}],"c":"é"}');
});

test('signPassport produces a full-form ES256 JWS with a 64-byte R‖S signature that node:crypto verifies', async () => {
  const { signer, leaf } = await getTestPki();
  const payload = buildPassportPayload({ attest: 'A', orig: '12155551212', dest: ['12155551213'], iat: 1795696549, origid: 'de305d54-75b4-431b-adb2-eb6b9e546014' });
  const jws = signer.signPassport(payload);
  const [h, p, s] = jws.split('.');
  assert.equal(Buffer.from(h ?? '', 'base64url').toString(), `{"alg":"ES256","ppt":"shaken","typ":"passport","x5u":"${X5U}"}`);
  assert.equal(
    Buffer.from(p ?? '', 'base64url').toString(),
    '{"attest":"A","dest":{"tn":["12155551213"]},"iat":1795696549,"orig":{"tn":"12155551212"},"origid":"de305d54-75b4-431b-adb2-eb6b9e546014"}',
  );
  const signature = Buffer.from(s ?? '', 'base64url');
  assert.equal(signature.length, 64);
  const key = createPublicKey(leaf.certificatePem);
  assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, signature));
  const parsed = parsePassport(jws);
  assert.deepEqual(parsed.payload, payload);
  assert.equal(parsed.header.x5u, X5U);
});

test('signIdentity appends info, alg and ppt parameters', async () => {
  const { signer } = await getTestPki();
  const identity = signer.signIdentity(buildPassportPayload({ attest: 'B', orig: '1', dest: ['2'], iat: 1, origid: 'x' }));
  assert.match(identity, /^[\w-]+\.[\w-]+\.[\w-]+;info=<https:\/\/cr\.example\.test\/shaken-1234\.pem>;alg=ES256;ppt=shaken$/);
});

test('the SHAKEN fast-path serialiser writes the same bytes as the generic canonical serialiser', () => {
  const payloads = [
    { attest: 'A', dest: { tn: ['12155551213', '1'] }, iat: 1, orig: { tn: '12155551212' }, origid: 'a"b\\c\u2028' },
    { attest: 'C', dest: { uri: ['sip:alice@example.com'] }, iat: 1795696549, orig: { tn: '1' }, origid: 'é' },
    { attest: 'B', dest: { tn: ['2'], uri: ['sip:b@x'] }, iat: 0, orig: { tn: '3' }, origid: '' },
    { origid: 'o', orig: { tn: '3' }, iat: 5, dest: { uri: ['u'], tn: ['2'] }, attest: 'A' },
    { attest: 'A', dest: { tn: ['2'] }, iat: 5, orig: { tn: '3' }, origid: 'o', div: { tn: '4' } },
  ] as unknown as PassportPayload[];
  for (const payload of payloads) assert.equal(serialisePassportPayload(payload), serialiseCanonicalJson(payload));
});
