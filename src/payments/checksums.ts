import { createHash } from 'node:crypto';

/** Luhn (ISO/IEC 7812-1 annex B): the check digit of every payment card number. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** ISO 13616-1 / ISO 7064 MOD 97-10: move the first four characters to the end, letters → 10..35, remainder must be 1. */
export function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const c = ch.charCodeAt(0);
    const v = c >= 65 && c <= 90 ? String(c - 55) : c >= 48 && c <= 57 ? ch : null;
    if (v === null) return false;
    for (const digit of v) rem = (rem * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58Decode(text: string): Uint8Array | null {
  let n = 0n;
  for (const ch of text) {
    const v = BASE58.indexOf(ch);
    if (v < 0) return null;
    n = n * 58n + BigInt(v);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  for (const ch of text) {
    if (ch !== '1') break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

/** A legacy Bitcoin address (P2PKH "1…", P2SH "3…", testnet "m/n/2…"): Base58Check, 21-byte payload, double-SHA-256 checksum. */
export function base58CheckAddressValid(text: string): boolean {
  const raw = base58Decode(text);
  if (!raw || raw.length !== 25) return false;
  const payload = raw.subarray(0, 21);
  const check = sha256(sha256(payload)).subarray(0, 4);
  if (!check.equals(Buffer.from(raw.subarray(21)))) return false;
  return [0x00, 0x05, 0x6f, 0xc4].includes(raw[0]!);
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i]!;
  }
  return chk >>> 0;
}

/**
 * A SegWit address (BIP 173 bech32 for witness v0, BIP 350 bech32m for v1+, e.g. Taproot), on
 * mainnet ("bc1…") or testnet ("tb1…"). Mixed case is invalid by BIP 173.
 */
export function segwitAddressValid(text: string): boolean {
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return false;
  const s = text.toLowerCase();
  const sep = s.lastIndexOf('1');
  const hrp = s.slice(0, sep);
  if ((hrp !== 'bc' && hrp !== 'tb') || s.length > 90) return false;
  const data: number[] = [];
  for (const ch of s.slice(sep + 1)) {
    const v = BECH32.indexOf(ch);
    if (v < 0) return false;
    data.push(v);
  }
  if (data.length < 7) return false;
  const expanded = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31), ...data];
  const version = data[0]!;
  const constant = version === 0 ? 1 : 0x2bc830a3;
  if (polymod(expanded) !== constant || version > 16) return false;
  // 5-bit groups → bytes: program length 2..40, and exactly 20 or 32 for v0 (BIP 141).
  const programBits = (data.length - 7) * 5;
  const programLength = Math.floor(programBits / 8);
  if (programLength < 2 || programLength > 40) return false;
  // BIP 173: the incomplete group at the end is at most 4 bits, all zero. Without this, one program
  // had several spellings that all passed (`bc1pqqqpaw88az`: padding bits set).
  const padBits = programBits % 8;
  if (padBits > 4 || (data[data.length - 7]! & ((1 << padBits) - 1)) !== 0) return false;
  if (version === 0 && programLength !== 20 && programLength !== 32) return false;
  return true;
}
