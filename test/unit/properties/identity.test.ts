// Property tests for caller identifiers (src/identity): the canonical form screening and reporting
// key everything on. Round trips, idempotence, equivalence of national and international forms, and
// totality (any string gives an identifier or a catalogued identity error).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getExampleNumber, parsePhoneNumber } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { normaliseAccount, normaliseEmail, normaliseNumber, parseIdentifier } from '../../../src/identity/index.js';
import { fastE164Digits, fastE164DigitsAt } from '../../../src/governance/fast-e164.js';
import { check, mutated, nastyString, valueOrCatalogued } from './check.js';

const IDENTITY_CODES = ['IDENTITY_EMPTY', 'IDENTITY_INVALID_NUMBER', 'IDENTITY_INVALID_EMAIL', 'IDENTITY_INVALID_ACCOUNT', 'IDENTITY_INVALID_SIP_URI', 'IDENTITY_INVALID_REGION'];
const KINDS = new Set(['phone', 'email', 'account', 'sip', 'anonymous']);
const REGIONS: CountryCode[] = ['CN', 'US', 'GB', 'DE', 'FR', 'IN', 'JP', 'BR', 'AU', 'RU', 'HK', 'SG', 'NG', 'MX', 'IT', 'ES'];
const NASTY = 'aZ09+-.()@:;<>?%"\\/ \t\r\n\u0000#*=,_~!$&\'[]é漢\u00a0\u200b\u{1F600}';

/** A number libphonenumber itself finds valid: a region's example with its last digits varied. */
const validNumber = fc
  .tuple(fc.constantFrom(...REGIONS), fc.integer({ min: 0, max: 999 }))
  .map(([region, tail]) => {
    const example = getExampleNumber(region, examples)!;
    const national = example.nationalNumber;
    const varied = national.slice(0, -3) + String(tail).padStart(3, '0');
    return { region, phone: parsePhoneNumber(varied, region) };
  })
  .filter(({ phone }) => phone.isValid());

function canonicalOf(input: string, region?: string) {
  return valueOrCatalogued(() => parseIdentifier(input, region ? { defaultRegion: region } : {}), IDENTITY_CODES);
}

/** Every identifier that parses has a canonical form that parses to itself (one spelling, one key). */
function assertIdempotent(input: string, region?: string): void {
  const first = canonicalOf(input, region);
  if (first === undefined) return;
  assert.ok(KINDS.has(first.kind));
  assert.ok(first.canonical.length > 0 && first.canonical.length <= 600, `canonical of ${JSON.stringify(input)} has length ${first.canonical.length}`);
  const again = parseIdentifier(first.canonical, region ? { defaultRegion: region } : {});
  assert.deepEqual(again, first, `${JSON.stringify(input)} → ${first.canonical} → ${again.canonical}`);
}

describe('identifier properties', () => {
  it('E.164, international and national forms of one number give the same canonical E.164', () =>
    check(
      fc.property(validNumber, ({ region, phone }) => {
        const e164 = phone.number;
        assert.equal(normaliseNumber(e164), e164);
        assert.equal(normaliseNumber(phone.formatInternational()), e164);
        assert.equal(normaliseNumber(phone.formatNational(), region), e164);
        assert.equal(parseIdentifier(phone.formatNational(), { defaultRegion: region }).canonical, e164);
        assert.equal(parseIdentifier(phone.getURI()).canonical, e164); // tel:+…
        assert.equal(parseIdentifier(`sip:${e164}@carrier.example;user=phone`).canonical, e164);
        assert.equal(parseIdentifier(`<sip:${phone.nationalNumber}@carrier.example;user=phone>`, { defaultRegion: region }).canonical, e164);
        assert.deepEqual(parseIdentifier(`  ${e164}  `), { kind: 'phone', canonical: e164 });
      }),
      300,
    ));

  it('any string gives an identifier or a catalogued identity error, and the canonical form is a fixed point', () =>
    check(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), nastyString(NASTY)), fc.constantFrom(undefined, 'CN', 'US'), (s, region) => {
        assertIdempotent(s, region);
      }),
      1000,
    ));

  it('mutated SIP URIs, e-mail addresses, accounts and numbers: canonical forms are fixed points', () => {
    const valid = fc.constantFrom(
      'sip:alice@example.com',
      'sips:Bob.Smith@Carrier.EXAMPLE:5061;transport=tls',
      '<sip:+8613800138000@ims.example;user=phone>',
      'sip:a%41b@example.com',
      'tel:+1-212-555-0123;phone-context=+1',
      'Scammer@iCloud.com',
      'mailto:x.y+z@mail.example.org',
      'account:Zoom:8841203',
      'account:teams:AbC-1:2',
      '+86 138 0013 8000',
      '(212) 555-0123',
      'anonymous',
    );
    return check(
      fc.property(mutated(valid, ['%', '%25', '%3F', '%3B', '%3E', '%40', '%20', '%2', ';', '?', '<', '>', '@', ':', '+', ' ', '.', 'A', '4']), fc.constantFrom(undefined, 'CN', 'US'), (s, region) => {
        assertIdempotent(s, region);
      }),
      1000,
    );
  });

  it('a SIP URI whose user part is any text, percent-encoded as on the wire, canonicalises to a fixed point', () =>
    check(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab4F1%;?>@<:+-. é'), minLength: 1, maxLength: 12 }), fc.constantFrom('example.com', 'Carrier.Example:5060', '[2001:db8::1]'), (user, host) => {
        const uri = `sip:${encodeURIComponent(user)}@${host}`;
        assertIdempotent(uri);
        const id = canonicalOf(uri);
        // Distinct users on one host never share a key (unless both are the same phone number).
        if (id?.kind === 'sip') assert.notEqual(id.canonical, parseIdentifier(`sip:${encodeURIComponent(user + 'x')}@${host}`).canonical);
      }),
      1000,
    ));

  it('the CDR/scrub fast E.164 path accepts every valid number, with its digits, in a string or inside a line', () =>
    check(
      fc.property(validNumber, fc.oneof(fc.string({ unit: fc.constantFrom(...'+0123456789 a'), maxLength: 18 }), fc.stringMatching(/^\+\d{6,16}$/)), ({ phone }, t) => {
        assert.equal(fastE164Digits(phone.number), Number(phone.number.slice(1)));
        const v = fastE164Digits(t);
        assert.equal(fastE164DigitsAt(`x,${t},y`, 2, 2 + t.length), v, t);
        if (v >= 0) {
          assert.match(t, /^\+[1-9]\d{6,14}$/);
          assert.equal(v, Number(t.slice(1)));
        }
      }),
      500,
    ));

  it('SIP URIs that RFC 3261 §19.1.4 calls equal (escaped unreserved characters, host case, sips, angle brackets) give one canonical', () =>
    check(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9._~!*'()-]{0,15}$/), fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }), fc.domain(), fc.constantFrom('sip', 'sips', 'SIP'), fc.boolean(), (user, escape, host, scheme, angle) => {
        const plain = parseIdentifier(`sip:${user}@${host}`);
        const escaped = [...user].map((c, i) => (escape[i] ? `%${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('');
        const other = `${scheme}:${escaped}@${host.toUpperCase()};transport=tcp`;
        assert.deepEqual(parseIdentifier(angle ? `<${other}>` : other), plain, other);
      }),
      500,
    ));

  it('e-mail and account canonicalisation are idempotent and case-insensitive where they promise to be', () =>
    check(
      fc.property(fc.emailAddress(), fc.string({ unit: fc.constantFrom(...'aB3-._~!%x'), minLength: 1, maxLength: 20 }), fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}$/), (email, id, platform) => {
        const e = valueOrCatalogued(() => normaliseEmail(email), ['IDENTITY_INVALID_EMAIL']);
        if (e !== undefined) {
          assert.equal(normaliseEmail(e), e);
          assert.equal(normaliseEmail(`mailto:${email.toUpperCase()}`), e);
        }
        const a = normaliseAccount(`account:${platform.toUpperCase()}:${id}`);
        assert.equal(a, `account:${platform}:${id}`); // the id keeps its case, the platform does not
        assert.equal(normaliseAccount(a), a);
      }),
      500,
    ));
});
