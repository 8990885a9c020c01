import { parsePhoneNumberWithError, ParseError, isSupportedCountry } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { CallshieldError } from '../errors.js';

// Full parsing and validation costs about 10 µs a number (libphonenumber's "max" metadata checks the
// exact national patterns, not only the length). Screening sees the same numbers again and again, so
// numbers already found valid are remembered in a bounded cache.
const VALID_E164_CACHE_LIMIT = 100_000;
const validE164 = new Set<string>();

function remember(e164: string): void {
  if (validE164.size >= VALID_E164_CACHE_LIMIT) validE164.clear();
  validE164.add(e164);
}

/** True for a canonical E.164 string that was already found valid (no parsing needed). */
export function isKnownValidE164(text: string): boolean {
  return validE164.has(text);
}

export function assertRegion(region: string, field = 'region'): CountryCode {
  if (!isSupportedCountry(region)) {
    throw new CallshieldError('IDENTITY_INVALID_REGION', `"${region}" is not a region libphonenumber knows`, { field });
  }
  return region;
}

/** Turns a phone number in international or national form into E.164, or throws IDENTITY_INVALID_NUMBER. */
export function normaliseNumber(input: string, defaultRegion?: string, field = 'caller'): string {
  const text = input.trim();
  if (text.startsWith('+') && validE164.has(text)) return text;
  const region = defaultRegion ? assertRegion(defaultRegion) : undefined;
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(text, region ? { defaultCountry: region } : undefined);
  } catch (err) {
    const why = err instanceof ParseError ? err.message : 'unparseable';
    const hint = region ? '' : ' (national formats need a default region)';
    throw new CallshieldError('IDENTITY_INVALID_NUMBER', `"${input}" is not a phone number: ${why}${hint}`, { field });
  }
  if (!parsed.isValid()) {
    throw new CallshieldError(
      'IDENTITY_INVALID_NUMBER',
      `"${input}" is not a valid number for ${parsed.country ?? `country code +${parsed.countryCallingCode}`}`,
      { field },
    );
  }
  remember(parsed.number);
  return parsed.number;
}
