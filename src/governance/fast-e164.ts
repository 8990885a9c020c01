import { Metadata, getCountries, getCountryCallingCode } from 'libphonenumber-js/max';

// Full libphonenumber parsing costs about 10 µs a number; a scrub list or a CDR file of millions of
// numbers is nearly all canonical E.164 already. For those, "+" and digits with a known country
// calling code (ITU-T E.164 codes are prefix-free, so exactly one of the 1-3 digit prefixes can
// match) and a national length the numbering plan allows is enough; anything else goes through the
// full parser. The fast path checks possible lengths only, not the exact national patterns, so an
// unassigned number of the right length passes — it can only fail to match a registration.
const lengthsByCode = new Map<number, number>(); // calling code → bit mask of possible national lengths

const metadata = new Metadata();
for (const country of getCountries()) {
  const code = Number(getCountryCallingCode(country));
  metadata.selectNumberingPlan(country);
  let mask = lengthsByCode.get(code) ?? 0;
  for (const n of metadata.numberingPlan?.possibleLengths() ?? []) mask |= 1 << n;
  lengthsByCode.set(code, mask);
}

// The same masks in a flat array indexed by calling code (codes are below 1000), for the hot loops.
const maskByCode = new Int32Array(1000);
for (const [code, mask] of lengthsByCode) maskByCode[code] = mask;

/**
 * The digits of a canonical E.164 number as an integer, or -1 when the text is not in that form
 * (spaces, national format, "tel:" ...) or its length does not fit the country's numbering plan.
 */
export function fastE164Digits(text: string): number {
  const n = text.length;
  if (n < 8 || n > 16 || text.charCodeAt(0) !== 43) return -1;
  let v = 0;
  for (let i = 1; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    if (i === 1 && c === 0) return -1;
    v = v * 10 + c;
  }
  const digits = n - 1;
  let cc = 0;
  for (let k = 1; k <= 3; k++) {
    cc = cc * 10 + (text.charCodeAt(k) - 48);
    const mask = lengthsByCode.get(cc);
    if (mask !== undefined) return mask & (1 << (digits - k)) ? v : -1;
  }
  return -1;
}

/** The country calling code a digit string starts with, or 0 when none does. */
export function callingCodeOf(digits: string): number {
  let cc = 0;
  for (let k = 0; k < 3 && k < digits.length; k++) {
    cc = cc * 10 + (digits.charCodeAt(k) - 48);
    if (lengthsByCode.has(cc)) return cc;
  }
  return 0;
}

/** fastE164Digits over text[a, b) without slicing it out (the CDR importer's hot loop). */
export function fastE164DigitsAt(text: string, a: number, b: number): number {
  const n = b - a;
  if (n < 8 || n > 16 || text.charCodeAt(a) !== 43) return -1;
  let v = 0;
  let cc = 0;
  let ccLen = 0;
  let mask = 0;
  for (let i = a + 1; i < b; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
    if (ccLen === 0) {
      if (i === a + 1 && c === 0) return -1;
      cc = cc * 10 + c;
      const m = maskByCode[cc]!;
      if (m !== 0) {
        ccLen = i - a;
        mask = m;
      } else if (i - a >= 3) return -1;
    }
  }
  return ccLen > 0 && mask & (1 << (n - 1 - ccLen)) ? v : -1;
}
