import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { callingCodeOf, fastE164Digits } from '../../../src/governance/index.js';
import { fastE164DigitsAt } from '../../../src/governance/fast-e164.js';

describe('fastE164Digits', () => {
  it('accepts canonical E.164 numbers whose length fits the country', () => {
    assert.equal(fastE164Digits('+8613800138000'), 8613800138000);
    assert.equal(fastE164Digits('+12025550143'), 12025550143);
    assert.equal(fastE164Digits('+442079460000'), 442079460000);
  });
  it('sends everything else to the full parser', () => {
    for (const s of ['8613800138000', '+86 138 0013 8000', '+0123456789', '+1202555014', '+120255501431', 'tel:+8613800138000', '+86138001380001234', '']) {
      assert.equal(fastE164Digits(s), -1, s);
    }
  });
  it('agrees with the offset form used by the CDR importer', () => {
    const line = 'x,+8613800138000,+1202555014,y';
    assert.equal(fastE164DigitsAt(line, 2, 16), 8613800138000);
    assert.equal(fastE164DigitsAt(line, 17, 28), -1);
  });
  it('finds the calling code of a digit string', () => {
    assert.equal(callingCodeOf('8613800138000'), 86);
    assert.equal(callingCodeOf('12025550143'), 1);
    assert.equal(callingCodeOf('852'), 852);
    assert.equal(callingCodeOf('0'), 0);
  });
});
