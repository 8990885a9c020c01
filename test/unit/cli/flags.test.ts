// The CLI's whole-number flags (src/cli/flags.ts): one parser for --limit, --calls, --seed,
// --utc-offset, --sip-port, --days and --amount-held, with each command's own range and error code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFlagFile, wholeNumberFlag } from '../../../src/cli/flags.js';
import { CallshieldError } from '../../../src/errors.js';

const refused = (value: string, rule: Parameters<typeof wholeNumberFlag>[2], flag = '--limit'): CallshieldError => {
  try {
    wholeNumberFlag(value, flag, rule);
  } catch (err) {
    assert.ok(err instanceof CallshieldError);
    return err;
  }
  assert.fail(`${flag} ${JSON.stringify(value)} was taken`);
};

describe('wholeNumberFlag', () => {
  const limit = { min: 1, max: 1000, code: 'REQUEST_INVALID' } as const;

  it('takes digits with an optional sign, within the range', () => {
    assert.equal(wholeNumberFlag('1', '--limit', limit), 1);
    assert.equal(wholeNumberFlag(' 1000 ', '--limit', limit), 1000);
    assert.equal(wholeNumberFlag('-840', '--utc-offset', { min: -840, max: 840, code: 'REQUEST_INVALID_QUERY' }), -840);
    assert.equal(wholeNumberFlag('+480', '--utc-offset', { min: -840, max: 840, code: 'REQUEST_INVALID_QUERY' }), 480);
    assert.equal(wholeNumberFlag('0', '--calls', { min: 0, code: 'REQUEST_INVALID_QUERY' }), 0);
  });

  it('refuses what Number() would have bent into a number: empty, exponent, hex, a fraction', () => {
    for (const v of ['', ' ', '1e3', '0x10', '2.0', '2.5', 'ten', '1_000', 'Infinity']) {
      const err = refused(v, { min: 0, code: 'REQUEST_INVALID_QUERY' }, '--calls');
      assert.equal(err.code, 'REQUEST_INVALID_QUERY');
      assert.equal(err.message, `--calls must be a whole number 0 or more, got "${v}"`);
    }
  });

  it('names the flag, the range and the value, with the command\'s own code and field', () => {
    const high = refused('1001', limit);
    assert.equal(high.message, '--limit must be a whole number from 1 to 1000, got "1001"');
    assert.equal(high.code, 'REQUEST_INVALID');
    assert.equal(high.field, 'limit');
    assert.equal(refused('0', limit).message, '--limit must be a whole number from 1 to 1000, got "0"');
    const held = refused('-1', { min: 0, code: 'REQUEST_INVALID_BODY', field: 'details.heldAmount', noun: 'a whole number of minor units (fen, cents),' }, '--amount-held');
    assert.equal(held.message, '--amount-held must be a whole number of minor units (fen, cents), 0 or more, got "-1"');
    assert.equal(held.field, 'details.heldAmount');
    assert.equal(refused('65536', { min: 0, max: 65535, code: 'CONFIG_INVALID', noun: 'a port number' }, '--sip-port').message, '--sip-port must be a port number from 0 to 65535, got "65536"');
  });

  it('refuses a number past the safe integers', () => {
    refused('9007199254740993', { min: 0, code: 'REQUEST_INVALID_QUERY' }, '--seed');
  });

  it('readFlagFile: a file that cannot be read is REQUEST_INVALID_BODY naming the field, the file and the errno code', () => {
    const missing = '/nonexistent-callshield-dir/transcript.txt';
    assert.throws(() => readFlagFile(missing, 'text'), (err: unknown) => {
      assert.ok(err instanceof CallshieldError);
      assert.equal(err.code, 'REQUEST_INVALID_BODY');
      assert.equal(err.field, 'text');
      assert.equal(err.message, `cannot read ${missing}: ENOENT`);
      return true;
    });
    assert.match(readFlagFile(new URL(import.meta.url).pathname, 'text'), /readFlagFile/);
  });
});
