import { CallshieldError } from '../errors.js';
import { isKnownValidE164, normaliseNumber } from './normalise-number.js';
import { normaliseEmail } from './parse-email.js';
import { normaliseAccount } from './parse-account.js';
import { parseSipUri } from './parse-sip-uri.js';
import type { Identifier, ParseOptions } from './types.js';

export const ANONYMOUS: Identifier = Object.freeze({ kind: 'anonymous', canonical: 'anonymous' });

// Words carriers and handsets put in the From header when the caller withheld the number.
const WITHHELD = new Set(['anonymous', 'withheld', 'private', 'restricted', 'unavailable', 'unknown', 'anonymous@anonymous.invalid']);

// The user part is stored decoded; the few characters that would end it (; ? >) or start an escape
// (%) go back in escaped, so the canonical form parses to itself (`sip:%3Ea@h` was `sip:>a@h`, which
// did not parse, and `sip:a%2541@h` was `sip:a%41@h`, which parsed as `sip:aA@h`).
function escapeSipUser(user: string): string {
  return user.replace(/[%;?>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Parses any caller identifier into its kind and canonical string. Phone numbers become E.164
 * (national forms use the default region), SIP URIs whose user part is a number become that
 * number, e-mail addresses and `account:<platform>:<id>` name video-call callers.
 */
export function parseIdentifier(input: unknown, options: ParseOptions = {}, field = 'caller'): Identifier {
  if (typeof input !== 'string') {
    throw new CallshieldError('REQUEST_INVALID_BODY', `${field} must be a string`, { field });
  }
  if (isKnownValidE164(input)) return { kind: 'phone', canonical: input };
  const text = input.trim();
  if (text === '') throw new CallshieldError('IDENTITY_EMPTY', `${field} is empty`, { field });
  if (text.length > 512) throw new CallshieldError('IDENTITY_INVALID_NUMBER', `${field} is longer than 512 characters`, { field });
  const lower = text.toLowerCase();
  if (WITHHELD.has(lower)) return ANONYMOUS;

  if (/^sips?:/.test(lower) || lower.startsWith('<sip')) {
    const uri = parseSipUri(text, field);
    if (uri.user.toLowerCase() === 'anonymous' || uri.host === 'anonymous.invalid') return ANONYMOUS;
    if (uri.userIsPhone) return { kind: 'phone', canonical: normaliseNumber(uri.user, options.defaultRegion, field) };
    return { kind: 'sip', canonical: `sip:${escapeSipUser(uri.user)}@${uri.host}` };
  }
  if (lower.startsWith('tel:')) {
    // RFC 3966: tel:+86-138-0013-8000;phone-context=... — parameters are not part of the number.
    const number = text.slice(4).split(';')[0] ?? '';
    return { kind: 'phone', canonical: normaliseNumber(number, options.defaultRegion, field) };
  }
  if (lower.startsWith('account:')) return { kind: 'account', canonical: normaliseAccount(text, field) };
  if (lower.startsWith('mailto:') || text.includes('@')) return { kind: 'email', canonical: normaliseEmail(text, field) };
  if (/^[+\d(][\d\s().\-/]*$/.test(text)) {
    return { kind: 'phone', canonical: normaliseNumber(text, options.defaultRegion, field) };
  }
  throw new CallshieldError(
    'IDENTITY_INVALID_NUMBER',
    `"${input}" is not a phone number, e-mail address, SIP URI or account:<platform>:<id>`,
    { field },
  );
}

/** Fast path for the hot loop: a string that is already canonical E.164 and known. */
export function looksCanonicalE164(text: string): boolean {
  return text.length >= 8 && text.length <= 16 && text.charCodeAt(0) === 43 /* + */ && /^\+[1-9]\d{6,14}$/.test(text);
}
