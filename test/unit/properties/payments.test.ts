// Property tests for payee accounts and amounts (src/payments): every spelling of one account gives
// one canonical key (flags, freezes and holds all key on it through parsePayeeAccount), a typo never
// does, any input gives an account or PAYMENTS_INVALID_ACCOUNT, and amounts stay inside their bounds.
// The check digits are computed here independently (Luhn, ISO 7064 mod 97-10, Base58Check, bech32).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { parsePayeeAccount } from '../../../src/payments/parse-account.js';
import { segwitAddressValid } from '../../../src/payments/checksums.js';
import { checkAmount, MAX_AMOUNT } from '../../../src/payments/check-amount.js';
import { addAmount } from '../../../src/payments/amount-history.js';
import type { AmountHistory } from '../../../src/payments/types.js';
import { check, mutated, valueOrCatalogued } from './check.js';

const ACCOUNT_CODES = ['PAYMENTS_INVALID_ACCOUNT'];

function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
const card = fc.stringMatching(/^[2-6]\d{10,17}$/).map((body) => body + luhnCheckDigit(body));

function iban(country: string, bban: string): string {
  const numeric = [...`${bban}${country}00`].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
  const check = 98n - (BigInt(numeric) % 97n);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}
// Real BBAN shapes (ISO 13616 registry): the check digits only promise to catch a substitution that
// keeps the shape (a digit for a digit, a letter for a letter), which is what a typo in a real IBAN is.
const ibanArb = fc.oneof(
  fc.stringMatching(/^\d{18}$/).map((b) => iban('DE', b)),
  fc.stringMatching(/^[A-Z]{4}\d{14}$/).map((b) => iban('GB', b)),
  fc.stringMatching(/^[A-Z]{4}\d{10}$/).map((b) => iban('NL', b)),
  fc.stringMatching(/^\d{20}$/).map((b) => iban('ES', b)),
);

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58Check(version: number, hash: Uint8Array): string {
  const payload = Buffer.concat([Buffer.from([version]), hash]);
  const sha = (b: Buffer): Buffer => createHash('sha256').update(b).digest();
  const raw = Buffer.concat([payload, sha(sha(payload)).subarray(0, 4)]);
  let n = BigInt(`0x${raw.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of raw) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}
const legacyBtc = fc.tuple(fc.constantFrom(0x00, 0x05, 0x6f, 0xc4), fc.uint8Array({ minLength: 20, maxLength: 20 })).map(([v, h]) => base58Check(v, h));

// BIP 173 / BIP 350 reference (segwit_addr.py), written out here as the oracle.
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32M = 0x2bc830a3;
function polymod(values: readonly number[]): number {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const b = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((b >>> i) & 1) chk = (chk ^ gen[i]!) >>> 0;
  }
  return chk;
}
const hrpExpand = (hrp: string): number[] => [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31)];
function bech32Encode(hrp: string, data: readonly number[], spec: number): string {
  const mod = polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ spec;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((d) => BECH32[d]).join('')}`;
}
function convertBits(data: readonly number[], from: number, to: number, pad: boolean): number[] | null {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxv = (1 << to) - 1;
  for (const v of data) {
    acc = (acc << from) | v;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & maxv);
    }
  }
  if (pad) {
    if (bits) out.push((acc << (to - bits)) & maxv);
  } else if (bits >= from || ((acc << (to - bits)) & maxv)) return null;
  return out;
}
function referenceSegwitValid(addr: string): boolean {
  if ([...addr].some((c) => c.charCodeAt(0) < 33 || c.charCodeAt(0) > 126)) return false;
  if (addr.toLowerCase() !== addr && addr.toUpperCase() !== addr) return false;
  const s = addr.toLowerCase();
  const pos = s.lastIndexOf('1');
  if (pos < 1 || pos + 7 > s.length || s.length > 90) return false;
  const hrp = s.slice(0, pos);
  if (hrp !== 'bc' && hrp !== 'tb') return false;
  const data = [...s.slice(pos + 1)].map((c) => BECH32.indexOf(c));
  if (data.some((d) => d < 0)) return false;
  const spec = polymod([...hrpExpand(hrp), ...data]);
  if (spec !== 1 && spec !== BECH32M) return false;
  const words = data.slice(0, -6);
  if (words.length === 0) return false;
  const program = convertBits(words.slice(1), 5, 8, false);
  if (program === null || program.length < 2 || program.length > 40 || words[0]! > 16) return false;
  if (words[0] === 0 && program.length !== 20 && program.length !== 32) return false;
  return (words[0] === 0 && spec === 1) || (words[0] !== 0 && spec === BECH32M);
}

/** Groups a card number or IBAN the way people write it (spaces or dashes every n characters). */
const grouped = (text: string, n: number, sep: string): string => text.replace(new RegExp(`(.{${n}})(?=.)`, 'g'), `$1${sep}`);

function expectSame(a: string, b: string): void {
  assert.deepEqual(parsePayeeAccount(a), parsePayeeAccount(b), `${a} vs ${b}`);
}

function expectRefused(typo: string, of: string): void {
  const acc = valueOrCatalogued(() => parsePayeeAccount(typo), ACCOUNT_CODES);
  assert.equal(acc, undefined, `${typo} (a typo of ${of}) accepted as ${acc?.canonical}`);
}

/** Every canonical form parses to itself. */
function expectFixedPoint(input: unknown): void {
  const acc = valueOrCatalogued(() => parsePayeeAccount(input), ACCOUNT_CODES);
  if (acc === undefined) return;
  assert.deepEqual(parsePayeeAccount(acc.canonical), acc, `${String(input)} → ${acc.canonical}`);
}

describe('payee account properties', () => {
  it('a card number in any grouping, with or without card:, is one account; one wrong digit or a swap of neighbours is refused', () =>
    check(fc.property(card, fc.integer({ min: 3, max: 5 }), fc.constantFrom(' ', '-', '  '), fc.nat(), fc.integer({ min: 1, max: 9 }), (number, n, sep, at, delta) => {
      assert.deepEqual(parsePayeeAccount(number), { kind: 'card', canonical: `card:${number}` });
      expectSame(number, grouped(number, n, sep));
      expectSame(number, `card: ${grouped(number, 4, ' ')}`);
      const i = at % number.length;
      const typo = number.slice(0, i) + String((Number(number[i]) + delta) % 10) + number.slice(i + 1);
      expectRefused(typo, number);
      const j = i === number.length - 1 ? i - 1 : i;
      const swapped = number.slice(0, j) + number[j + 1] + number[j] + number.slice(j + 2);
      // Luhn catches every swap of neighbouring digits except 09 ↔ 90.
      if (swapped !== number && !/^(09|90)$/.test(number.slice(j, j + 2))) {
        expectRefused(swapped, number);
      }
    }), 500));

  it('an IBAN in any case and grouping is one account; one changed character is refused', () =>
    check(fc.property(ibanArb, fc.nat(), fc.nat(), (value, at, pick) => {
      assert.deepEqual(parsePayeeAccount(value), { kind: 'iban', canonical: `iban:${value}` });
      expectSame(value, grouped(value.toLowerCase(), 4, ' '));
      expectSame(value, `IBAN:${grouped(value, 4, ' ')}`);
      const i = 2 + (at % (value.length - 2));
      const same = /\d/.test(value[i]!) ? '0123456789' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
      const ch = same[pick % same.length]!;
      if (value[i] === ch) return;
      const typo = value.slice(0, i) + ch + value.slice(i + 1);
      const acc = valueOrCatalogued(() => parsePayeeAccount(typo), ACCOUNT_CODES);
      // ISO 7064 MOD 97-10 detects every such substitution; a typo may only become another kind of
      // account (a Base58 address) when that checksum holds, never the same or another IBAN.
      assert.ok(acc === undefined || acc.kind !== 'iban', `typo ${typo} of ${value} accepted as ${acc?.canonical}`);
    }), 500));

  it('a Base58Check Bitcoin address is accepted as written; one changed character is refused', () =>
    check(fc.property(legacyBtc, fc.nat(), fc.constantFrom(...B58), (addr, at, ch) => {
      assert.deepEqual(parsePayeeAccount(addr), { kind: 'btc', canonical: `btc:${addr}` });
      expectSame(addr, `btc:${addr}`);
      const i = at % addr.length;
      if (addr[i] === ch) return;
      const typo = addr.slice(0, i) + ch + addr.slice(i + 1);
      const acc = valueOrCatalogued(() => parsePayeeAccount(typo), ACCOUNT_CODES);
      assert.ok(acc === undefined || acc.kind !== 'btc', `typo ${typo} of ${addr} accepted`);
    }), 300));

  it('SegWit addresses: accepted exactly when the BIP 173/350 reference decoder accepts them', () => {
    const words = fc.oneof(
      // A real witness program (what wallets produce)…
      fc.tuple(fc.integer({ min: 0, max: 16 }), fc.constantFrom(20, 32, 2, 40, 33), fc.uint8Array({ minLength: 40, maxLength: 40 })).map(([v, n, bytes]) => [v, ...convertBits([...bytes.subarray(0, n)], 8, 5, true)!]),
      // …or any 5-bit groups with a valid checksum (what a forger can write).
      fc.tuple(fc.integer({ min: 0, max: 17 }), fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 0, maxLength: 70 })).map(([v, d]) => [v, ...d]),
    );
    return check(fc.property(fc.constantFrom('bc', 'tb'), words, fc.boolean(), fc.boolean(), (hrp, data, bech32m, upper) => {
      const addr = bech32Encode(hrp, data, bech32m ? BECH32M : 1);
      const text = upper ? addr.toUpperCase() : addr;
      assert.equal(segwitAddressValid(text), referenceSegwitValid(text), text);
      if (referenceSegwitValid(text)) assert.deepEqual(parsePayeeAccount(text), { kind: 'btc', canonical: `btc:${addr}` });
    }), 1000);
  });

  it('an Ethereum address in any letter case is one account', () =>
    check(fc.property(fc.stringMatching(/^[0-9a-f]{40}$/), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (hex, upper) => {
      const mixed = [...hex].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
      expectSame(`0x${hex}`, `0x${mixed}`);
      expectSame(`0x${hex}`, `eth:0X${mixed}`.replace('0X', '0x'));
    }), 300));

  it('platform accounts: platform name case-insensitive, id as written, every prefix the same account', () =>
    check(fc.property(fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}$/), fc.string({ unit: fc.constantFrom(...'aB9-_.:~!漢'), minLength: 1, maxLength: 30 }), (platform, id) => {
      const acc = parsePayeeAccount(`${platform}:${id}`);
      assert.deepEqual(acc, { kind: 'platform', canonical: `platform:${platform}:${id}` });
      for (const form of [`${platform.toUpperCase()}:${id}`, `platform:${platform}:${id}`, `account:${platform}:${id}`, `  Platform:${platform}:${id} `]) assert.deepEqual(parsePayeeAccount(form), acc, form);
    }), 500));

  it('any value gives an account or PAYMENTS_INVALID_ACCOUNT, and the canonical form is a fixed point', () => {
    const valid = fc.oneof(card, ibanArb, legacyBtc, fc.constantFrom('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', '0x52908400098527886E0F7030069857D2E4169EE7', 'alipay:138-0013-8000', 'account:wechat:wxid_abc'));
    return check(fc.property(fc.oneof(fc.anything(), fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 40 }), mutated(valid, ' -:;xX0O1lI\t\u00a0\u200b')), (input) => {
      expectFixedPoint(input);
    }), 1000);
  });
});

describe('amount properties', () => {
  it('checkAmount returns a finite number in (0, MAX_AMOUNT] unchanged, or PAYMENTS_INVALID_AMOUNT', () =>
    check(fc.property(fc.oneof(fc.double(), fc.integer(), fc.anything(), fc.constantFrom(0, -0, MAX_AMOUNT, MAX_AMOUNT * (1 + Number.EPSILON), Number.MIN_VALUE, '100', null)), (value) => {
      const v = valueOrCatalogued(() => checkAmount(value), ['PAYMENTS_INVALID_AMOUNT']);
      if (v === undefined) return;
      assert.equal(v, value);
      assert.ok(Number.isFinite(v) && v > 0 && v <= MAX_AMOUNT, String(v));
    }), 1000));

  it('the amount history of accepted amounts stays within their range: mean and recent amounts never negative, NaN or over the limit', () =>
    check(fc.property(fc.array(fc.double({ min: Number.MIN_VALUE, max: MAX_AMOUNT, noNaN: true }), { minLength: 1, maxLength: 60 }), (amounts) => {
      let h: AmountHistory | undefined;
      for (const a of amounts) h = addAmount(h, checkAmount(a));
      const lo = Math.min(...amounts);
      const hi = Math.max(...amounts);
      assert.equal(h!.count, amounts.length);
      assert.ok(h!.mean >= lo * (1 - 1e-9) && h!.mean <= hi * (1 + 1e-9), `mean ${h!.mean} outside [${lo}, ${hi}]`);
      assert.ok(h!.recent.length <= 25 && h!.recent.every((x) => x >= lo && x <= hi));
    }), 500));
});
