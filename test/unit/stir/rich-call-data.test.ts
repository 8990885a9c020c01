// rcd / rcdi checks of RFC 9795 on claim objects (the signature itself is tested end to end in
// test/integration/stir-div-rcd.test.ts with secsipidx-signed tokens).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readRichCallData } from '../../../src/stir/rich-call-data.js';

const sha256 = (text: string) => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;

test('no rcd: nothing to report', () => {
  assert.equal(readRichCallData({ attest: 'A' }), undefined);
});

test('a plain name is verified; crn is kept', () => {
  assert.deepEqual(readRichCallData({ rcd: { nam: ' Acme Pharmacy ' }, crn: 'Prescription ready' }), { nam: 'Acme Pharmacy', crn: 'Prescription ready', verified: true });
});

test('names that could break a SIP header or a screen are refused', () => {
  for (const nam of ['Acme\r\nX-Injected: 1', 'a'.repeat(257), '', 42]) {
    const r = readRichCallData({ rcd: { nam } });
    assert.equal(r?.verified, false, String(nam));
    assert.ok(r?.reason);
  }
  assert.equal(readRichCallData({ rcd: 'Acme' })?.verified, false);
});

test('rcdi: inline digests must match, pointers must exist, URLs are listed as unchecked', () => {
  const rcd = { nam: 'Acme', 'a/b': 'slash key', icn: 'https://cdn.example/logo.png' };
  const ok = readRichCallData({ rcd, rcdi: { '/nam': sha256('Acme'), '/a~1b': sha256('slash key'), '/icn': sha256('png bytes') } });
  assert.deepEqual(ok, { nam: 'Acme', verified: true, unchecked: ['/icn'] });
  assert.match(readRichCallData({ rcd, rcdi: { '/nam': sha256('Acme Bank') } })?.reason ?? '', /digest for \/nam does not match/);
  assert.match(readRichCallData({ rcd, rcdi: { '/jcd': sha256('x') } })?.reason ?? '', /does not hold/);
  assert.match(readRichCallData({ rcd, rcdi: { '/nam': 'md5-abc' } })?.reason ?? '', /integrity string/);
  assert.equal(readRichCallData({ rcd, rcdi: ['x'] })?.verified, false);
});
