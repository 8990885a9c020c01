// The numbers of a `dnc scrub` CSV (numbersOfCsv, also the line reader of `callshield dnc scrub FILE`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { numbersOfCsv } from '../../../src/operations/governance/dnc.js';

describe('numbersOfCsv', () => {
  it('reads one number per line, or the number column of a CSV with a header', () => {
    assert.deepEqual(numbersOfCsv('+8613800138000\r\n"+8613900139000"\n\n'), ['+8613800138000', '+8613900139000']);
    assert.deepEqual(numbersOfCsv('\uFEFFname,Number\nAcme,+8613800138000\n'), ['+8613800138000']);
  });

  // Found by test/unit/properties/csv.test.ts: fields were split at every comma, so a quoted name
  // with a comma before the number column moved the number out of its column.
  it('a quoted field with commas or doubled quotes does not move the number column', () => {
    assert.deepEqual(numbersOfCsv('name,number\n",a",+8613000000000\n"Doe, ""JD"" John",+8613800138000\n'), ['+8613000000000', '+8613800138000']);
    assert.deepEqual(numbersOfCsv('"name","number"\nx,"+8613800138000"\n'), ['+8613800138000']);
  });

  it('several columns without a number header are refused', () => {
    assert.throws(() => numbersOfCsv('a,b\n1,2\n'), /number/);
  });
});
