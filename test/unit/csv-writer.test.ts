// The one CSV writer: formula-leading cells neutralised (OWASP CSV injection), quoting per RFC 4180.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvLine, neutraliseCell, toCsv } from '../../src/csv-writer.js';

describe('csv writer', () => {
  it('puts a single quote before every formula-leading cell', () => {
    for (const s of ['=1+1', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A2)', '\tx', '\rx', '=HYPERLINK("http://x","y")', '+', '-', '+86 138', '-1e5'])
      assert.equal(neutraliseCell(s), `'${s}`, s);
  });
  // Found by test/unit/properties/csv.test.ts, checked against OWASP ASVS 5.0 requirement 1.2.10.
  it('puts a single quote before a cell that starts with NUL', () => {
    assert.equal(neutraliseCell('\0=1+1'), `'\0=1+1`);
    assert.equal(csvCell('\0'), `'\0`);
  });
  it('keeps plain signed numbers and E.164 numbers usable', () => {
    for (const s of ['+8613800138000', '-3', '-0.25', '+1', '12', 'Acme', '', "'quoted"]) assert.equal(neutraliseCell(s), s, s);
  });
  it('quotes per RFC 4180: commas, double quotes, CR and LF', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(undefined), '');
    assert.equal(csvCell(42), '42');
  });
  it('neutralises before quoting, so a quoted formula is still neutralised', () => {
    assert.equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(csvCell('\rcmd'), `"'\rcmd"`);
  });
  it('writes a header and rows in the columns given', () => {
    assert.equal(csvLine(['a', '=b', 'c,d']), `a,'=b,"c,d"\n`);
    assert.equal(toCsv([{ b: 2, a: '@x' }, { a: null }], ['a', 'b']), `a,b\n'@x,2\n,\n`);
    assert.equal(toCsv([], ['x']), 'x\n');
  });
});
