import { CallshieldError } from '../errors.js';
import { base58CheckAddressValid, ibanChecksumValid, luhnValid, segwitAddressValid } from './checksums.js';
import type { PayeeAccount } from './types.js';

const PLATFORM = /^[a-z0-9][a-z0-9.-]{0,31}$/;
const PLATFORM_ID = /^[^\s\p{Cc}]{1,128}$/u;

function invalid(field: string, detail: string): CallshieldError {
  return new CallshieldError('PAYMENTS_INVALID_ACCOUNT', detail, { field });
}

function parseCard(text: string, field: string): PayeeAccount {
  const digits = text.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits)) throw invalid(field, 'a card number has 12-19 digits');
  if (!luhnValid(digits)) throw invalid(field, 'the card number fails its Luhn check digit (ISO/IEC 7812)');
  return { kind: 'card', canonical: `card:${digits}` };
}

function parseIban(text: string, field: string): PayeeAccount {
  const iban = text.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) throw invalid(field, 'an IBAN is a country code, two check digits and 11-30 letters or digits');
  if (!ibanChecksumValid(iban)) throw invalid(field, 'the IBAN fails its ISO 13616 mod-97 check');
  return { kind: 'iban', canonical: `iban:${iban}` };
}

function parseBtc(text: string, field: string): PayeeAccount {
  if (/^(bc|tb)1/i.test(text)) {
    if (!segwitAddressValid(text)) throw invalid(field, 'the bech32 Bitcoin address fails its checksum (BIP 173/350)');
    return { kind: 'btc', canonical: `btc:${text.toLowerCase()}` };
  }
  if (!/^[13mn2][1-9A-HJ-NP-Za-km-z]{25,34}$/.test(text) || !base58CheckAddressValid(text)) {
    throw invalid(field, 'the Bitcoin address fails its Base58Check checksum');
  }
  return { kind: 'btc', canonical: `btc:${text}` };
}

function parseEth(text: string, field: string): PayeeAccount {
  // EIP-55 mixed-case checksums need Keccak-256, which node:crypto lacks; the shape is checked and
  // the address is kept lower-case so that both spellings match one flag.
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) throw invalid(field, 'an Ethereum address is 0x followed by 40 hex digits');
  return { kind: 'eth', canonical: `eth:${text.toLowerCase()}` };
}

function parsePlatform(platformRaw: string, id: string, field: string): PayeeAccount {
  const platform = platformRaw.toLowerCase();
  if (!PLATFORM.test(platform)) throw invalid(field, `"${platformRaw}" is not a payment platform name (a-z, 0-9, . and -)`);
  if (!PLATFORM_ID.test(id)) throw invalid(field, 'a payment platform account id is 1-128 characters without spaces');
  return { kind: 'platform', canonical: `platform:${platform}:${id}` };
}

/**
 * Any payee account → its kind and canonical form. Accepted: card numbers (spaces and dashes
 * allowed), IBANs, `<platform>:<id>` (also `platform:<platform>:<id>` or `account:<platform>:<id>`),
 * Bitcoin addresses (Base58Check or bech32/bech32m), Ethereum addresses; a `card:`, `iban:`, `btc:`
 * or `eth:` prefix forces the kind. A number that fails its checksum is refused: a typo must never
 * match (or miss) a flagged account.
 */
export function parsePayeeAccount(input: unknown, field = 'payeeAccount'): PayeeAccount {
  if (typeof input !== 'string' || input.trim() === '') throw invalid(field, `${field} must be a non-empty string`);
  const text = input.trim();
  if (text.length > 200) throw invalid(field, `${field} is longer than 200 characters`);
  const prefixed = /^(card|iban|btc|eth|platform|account):(.*)$/i.exec(text);
  if (prefixed) {
    const kind = prefixed[1]!.toLowerCase();
    const rest = prefixed[2]!.trim();
    if (kind === 'card') return parseCard(rest, field);
    if (kind === 'iban') return parseIban(rest, field);
    if (kind === 'btc') return parseBtc(rest, field);
    if (kind === 'eth') return parseEth(rest, field);
    const m = /^([^:]+):(.+)$/.exec(rest);
    if (!m) throw invalid(field, 'a payment platform account looks like <platform>:<id>');
    return parsePlatform(m[1]!, m[2]!, field);
  }
  if (/^0x/i.test(text)) return parseEth(text, field);
  if (/^[\d\s-]+$/.test(text)) return parseCard(text, field);
  if (/^(bc|tb)1[a-z0-9]{6,}$/i.test(text)) return parseBtc(text, field);
  const colon = /^([^:]+):(.+)$/.exec(text);
  if (colon) return parsePlatform(colon[1]!, colon[2]!, field);
  const btcShape = /^[13mn2][1-9A-HJ-NP-Za-km-z]{25,34}$/.test(text);
  if (/^[A-Za-z]{2}\d{2}[A-Za-z0-9 ]+$/.test(text)) {
    // A testnet address ("mn…") can look like an IBAN; the checksum that passes decides.
    if (btcShape && base58CheckAddressValid(text)) return { kind: 'btc', canonical: `btc:${text}` };
    return parseIban(text, field);
  }
  if (btcShape) return parseBtc(text, field);
  throw invalid(field, `"${text.slice(0, 40)}" is not a card number, IBAN, <platform>:<id>, Bitcoin or Ethereum address`);
}
