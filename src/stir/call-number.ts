import { normaliseNumber } from '../identity/normalise-number.js';
import { canonicaliseTn } from './canonical-tn.js';

// RFC 8224 §8.3 compares numbers in canonical form: country code first. A switch often hands us the
// calling number in national form (From: sip:2155551212@…), which as digits alone never equals the
// PASSporT's `orig` (12155551212). So a number that does not match as written is read once more as
// a national number of the default region (CALLSHIELD_DEFAULT_REGION) before it counts as a
// mismatch. As written comes first: 13812345678 is +1 381… in a PASSporT, even where the default
// region (CN) would read it as a mobile number.

/** The call's number in PASSporT form (digits, country code first) under the default region, if it parses. */
export function regionalTn(value: string, defaultRegion: string | undefined): string | undefined {
  if (defaultRegion === undefined) return undefined;
  const digits = canonicaliseTn(value);
  // Only a bare national number is re-read; one written with '+' already says its country.
  if (!/^[0-9]{4,15}$/.test(digits) || /^(?:tel:|sips?:)?\s*\+/i.test(value.trim())) return undefined;
  try {
    return normaliseNumber(digits, defaultRegion).slice(1);
  } catch {
    return undefined;
  }
}

/** True when the call's number (any common form) is the PASSporT's `tn`. */
export function sameCallNumber(claimTn: string, callValue: string, defaultRegion: string | undefined): boolean {
  if (canonicaliseTn(callValue) === claimTn) return true;
  return regionalTn(callValue, defaultRegion) === claimTn;
}
