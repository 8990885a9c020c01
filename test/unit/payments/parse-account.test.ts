import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePayeeAccount, luhnValid, ibanChecksumValid, checkAmount, checkCurrency } from '../../../src/payments/index.js';
import { CallshieldError } from '../../../src/errors.js';

function fails(input: string, code = 'PAYMENTS_INVALID_ACCOUNT'): void {
  assert.throws(() => parsePayeeAccount(input, 'payeeAccount'), (e: unknown) => e instanceof CallshieldError && e.code === code && e.field === 'payeeAccount', input);
}

describe('parsePayeeAccount', () => {
  it('card numbers: Luhn-checked, spaces and dashes dropped', () => {
    assert.deepEqual(parsePayeeAccount('4111 1111 1111 1111'), { kind: 'card', canonical: 'card:4111111111111111' });
    assert.equal(parsePayeeAccount('6011-1111-1111-1117').canonical, 'card:6011111111111117');
    fails('4111 1111 1111 1112');
    fails('1234');
  });
  it('IBANs: ISO 13616 mod-97', () => {
    assert.deepEqual(parsePayeeAccount('de89 3704 0044 0532 0130 00'), { kind: 'iban', canonical: 'iban:DE89370400440532013000' });
    assert.equal(parsePayeeAccount('GB82 WEST 1234 5698 7654 32').canonical, 'iban:GB82WEST12345698765432');
    fails('DE88370400440532013000');
  });
  it('payment platform accounts', () => {
    assert.deepEqual(parsePayeeAccount('Alipay:zhang.s@example'), { kind: 'platform', canonical: 'platform:alipay:zhang.s@example' });
    assert.equal(parsePayeeAccount('account:wechatpay:wxid_abc').canonical, 'platform:wechatpay:wxid_abc');
    fails('alipay:has space');
  });
  it('Bitcoin: Base58Check and bech32/bech32m checksums', () => {
    assert.equal(parsePayeeAccount('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2').kind, 'btc');
    assert.equal(parsePayeeAccount('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy').kind, 'btc');
    assert.equal(parsePayeeAccount('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4').canonical, 'btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4');
    assert.equal(parsePayeeAccount('bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297').kind, 'btc');
    fails('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3');
    fails('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5');
  });
  // Found by test/unit/properties/payments.test.ts (against the BIP 173/350 reference decoder): the
  // padding of the last 5-bit group was not checked, so one program had several accepted spellings.
  it('bech32: padding bits set, or a fifth spare bit, is refused (BIP 173)', () => {
    fails('bc1pqqqpaw88az'); // v1, 2-byte program, 4 padding bits = 0001
    fails('bc1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqtzzsrf'); // v0, 33 groups = 20 bytes and 5 spare bits
    assert.equal(parsePayeeAccount('bc1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq9e75rs').canonical, 'btc:bc1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq9e75rs'); // the same 20 zero bytes, 32 groups
  });
  it('Ethereum: 0x and 40 hex digits, lower-cased', () => {
    assert.equal(parsePayeeAccount('0x52908400098527886E0F7030069857D2E4169EE7').canonical, 'eth:0x52908400098527886e0f7030069857d2e4169ee7');
    fails('0x1234');
  });
  it('refuses what is none of these', () => {
    fails('');
    fails('hello world');
  });
  it('checksum helpers', () => {
    assert.ok(luhnValid('79927398713'));
    assert.ok(!luhnValid('79927398710'));
    assert.ok(ibanChecksumValid('NL91ABNA0417164300'));
  });
});

describe('amounts and currencies', () => {
  it('refuses zero, negative, non-finite and absurd amounts', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e12 + 1]) {
      assert.throws(() => checkAmount(bad), (e: unknown) => e instanceof CallshieldError && e.code === 'PAYMENTS_INVALID_AMOUNT' && e.field === 'amount');
    }
    assert.equal(checkAmount(1_630_000.5), 1_630_000.5);
  });
  it('knows ISO 4217 codes only', () => {
    assert.equal(checkCurrency('CNY'), 'CNY');
    for (const bad of ['RMB', 'cny', 'XYZ', '']) assert.throws(() => checkCurrency(bad), (e: unknown) => e instanceof CallshieldError && e.code === 'PAYMENTS_INVALID_CURRENCY');
  });
});
