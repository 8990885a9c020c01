// Property tests for the STIR/SHAKEN parsers that face the outside (src/stir): base64url, canonical
// JSON, canonical telephone numbers, TNAuthList, Identity headers and PASSporTs. Signing uses the
// real test PKI (src/stir/test-pki.ts through test/unit/stir/fixtures.ts) and real ECDSA verification.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import fc from 'fast-check';
import { decodeBase64url, encodeBase64url } from '../../../src/stir/base64url.js';
import { serialiseCanonicalJson } from '../../../src/stir/canonical-json.js';
import { canonicaliseTn } from '../../../src/stir/canonical-tn.js';
import { decodeTnAuthList, encodeTnAuthList } from '../../../src/stir/tn-auth-list.js';
import type { TnEntry } from '../../../src/stir/tn-auth-list.js';
import { formatIdentityHeader, parseIdentityHeader, selectShakenIdentity } from '../../../src/stir/identity-header.js';
import { parsePassport } from '../../../src/stir/passport-parse.js';
import { encodePassportPart, serialisePassportPayload, signPassport } from '../../../src/stir/passport-sign.js';
import { readRejection } from '../../../src/stir/stir-rejection.js';
import { verifyIdentity } from '../../../src/stir/verify-identity.js';
import type { PassportPayload } from '../../../src/stir/types.js';
import { createTestResolver, getTestPki, X5U } from '../stir/fixtures.js';
import { check, mutated, valueOrCatalogued } from './check.js';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const STIR_CODES = ['STIR_INVALID_PASSPORT', 'STIR_INVALID_IDENTITY_HEADER', 'STIR_INVALID_CERTIFICATE'];
const tn = fc.stringMatching(/^[1-9][0-9]{6,14}$/);
const payloadArb = (iat: number): fc.Arbitrary<PassportPayload> =>
  fc.record({
    attest: fc.constantFrom('A' as const, 'B' as const, 'C' as const),
    orig: tn,
    dest: fc.array(tn, { minLength: 1, maxLength: 3 }),
    origid: fc.uuid(),
    skew: fc.integer({ min: -30, max: 30 }),
  }).map(({ attest, orig, dest, origid, skew }) => ({ attest, dest: { tn: dest }, iat: iat + skew, orig: { tn: orig }, origid }));

describe('base64url', () => {
  it('decode(encode(bytes)) is the bytes', () =>
    check(fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      assert.deepEqual(decodeBase64url(encodeBase64url(bytes)), Buffer.from(bytes));
    }), 1000));

  it('only canonical text decodes: encode(decode(s)) is s (one byte string, one spelling)', () =>
    check(fc.property(fc.string({ unit: fc.constantFrom(...B64URL, '=', '+', '/', ' ', '.'), maxLength: 90 }), (s) => {
      const bytes = decodeBase64url(s);
      if (bytes !== undefined) assert.equal(encodeBase64url(bytes), s);
    }), 1000));
});

describe('canonical JSON', () => {
  it('reads back as the same value, is a fixed point, and does not depend on key order', () =>
    check(fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
      const text = serialiseCanonicalJson(value);
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
      assert.equal(serialiseCanonicalJson(JSON.parse(text)), text);
      assert.doesNotMatch(text.replace(/"(?:[^"\\]|\\.)*"/g, '""'), /\s/); // no whitespace outside strings
      const reversed = JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
        v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v);
      assert.equal(serialiseCanonicalJson(reversed), text);
    }), 500));

  it('the signing fast path writes the same bytes as the generic serialiser', () =>
    check(fc.property(payloadArb(1_700_000_000), fc.option(fc.array(fc.webUrl(), { minLength: 1, maxLength: 2 }), { nil: undefined }), fc.string(), (p, uri, origid) => {
      const payload: PassportPayload = { ...p, origid, dest: uri ? { ...p.dest, uri } : p.dest };
      assert.equal(serialisePassportPayload(payload), serialiseCanonicalJson(payload));
    }), 500));
});

describe('canonical telephone numbers', () => {
  it('every common spelling of a number gives its digits, and the result is a fixed point', () =>
    check(fc.property(tn, fc.constantFrom('plain', '+', 'tel', 'sip', 'spaced', 'dashed', 'paren'), (digits, form) => {
      const d = digits;
      const text = {
        plain: d,
        '+': `+${d}`,
        tel: `tel:+${d};phone-context=example.com`,
        sip: `sip:+${d}@carrier.example;user=phone`,
        spaced: `+${d.slice(0, 1)} ${d.slice(1, 4)} ${d.slice(4)}`,
        dashed: `+${d.slice(0, 1)}-${d.slice(1, 4)}-${d.slice(4)}`,
        paren: ` +${d.slice(0, 1)} (${d.slice(1, 4)}) ${d.slice(4)} `,
      }[form];
      assert.equal(canonicaliseTn(text), d);
      assert.equal(canonicaliseTn(canonicaliseTn(text)), d);
    }), 500));
});

describe('TNAuthList', () => {
  const ia5 = fc.oneof(
    { weight: 8, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 300 }) },
    { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 70_000 }).map((n) => '7'.repeat(n)) },
  );
  const entry: fc.Arbitrary<TnEntry> = fc.oneof(
    ia5.map((spc) => ({ type: 'spc' as const, spc })),
    ia5.map((t) => ({ type: 'one' as const, tn: t })),
    fc.tuple(ia5, fc.integer({ min: 0, max: 2 ** 32 })).map(([start, count]) => ({ type: 'range' as const, start, count })),
  );
  it('decode(encode(entries)) gives the entries back, or encoding refuses them', () =>
    check(fc.property(fc.array(entry, { minLength: 1, maxLength: 4 }), (entries) => {
      const der = valueOrCatalogued(() => encodeTnAuthList(entries), ['STIR_INVALID_REQUEST']);
      if (der !== undefined) assert.deepEqual(decodeTnAuthList(der), entries);
    }), 200));

  it('any bytes decode to entries or a catalogued certificate error', () =>
    check(fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(encodeTnAuthList([{ type: 'spc', spc: '1234' }, { type: 'range', start: '12155550000', count: 100 }])).chain((der) =>
      fc.tuple(fc.nat(der.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => { const m = Buffer.from(der); m[i] = b; return new Uint8Array(m); }))), (bytes) => {
      valueOrCatalogued(() => decodeTnAuthList(bytes), ['STIR_INVALID_CERTIFICATE']);
    }), 1000));
});

describe('Identity headers and PASSporTs', () => {
  it('a signed PASSporT parses back to its claims, its header re-serialises to one that verifies', async () => {
    const { leaf } = await getTestPki();
    const key = createPrivateKey(leaf.privateKeyPem);
    const { resolver } = await createTestResolver();
    const now = Date.now();
    await check(fc.asyncProperty(payloadArb(Math.floor(now / 1000)), async (payload) => {
      const jws = signPassport(payload, X5U, key);
      assert.deepEqual(parsePassport(jws).payload, payload);
      const header = parseIdentityHeader(formatIdentityHeader(jws, X5U));
      assert.equal(header.jws, jws);
      assert.equal(header.info, X5U);
      const again = formatIdentityHeader(header.jws, header.info);
      const result = await verifyIdentity(again, { from: `+${payload.orig.tn}`, to: payload.dest.tn!.map((t) => `tel:+${t}`), now }, { certificates: resolver });
      assert.equal(result.verstat, 'TN-Validation-Passed', result.reasonDesc);
      assert.equal(result.attest, payload.attest);
    }), 200);
  });

  it('a PASSporT with any claim changed, or any character of the token changed, does not verify', async () => {
    const { leaf } = await getTestPki();
    const key = createPrivateKey(leaf.privateKeyPem);
    const { resolver } = await createTestResolver();
    const now = Date.now();
    const iat = Math.floor(now / 1000);
    const tamper = fc.oneof(
      fc.record({ claim: fc.constantFrom('attest', 'orig', 'dest', 'iat', 'origid'), replacement: fc.oneof(fc.constantFrom('A', 'B', 'C'), tn, fc.uuid(), fc.integer({ min: iat - 30, max: iat + 30 })) }),
      fc.record({ at: fc.nat(), char: fc.constantFrom(...B64URL) }),
      // The last characters of each part, where base64url keeps its unused bits.
      fc.record({ part: fc.nat(2), fromEnd: fc.nat(2), char: fc.constantFrom(...B64URL) }),
    );
    await check(fc.asyncProperty(payloadArb(iat), tamper, async (payload, change) => {
      const jws = signPassport(payload, X5U, key);
      const [h, , s] = jws.split('.') as [string, string, string];
      let forged: string;
      if ('claim' in change) {
        const claims: Record<string, unknown> = { ...payload };
        const r = change.replacement;
        claims[change.claim] = change.claim === 'orig' ? { tn: String(r) } : change.claim === 'dest' ? { tn: [String(r)] } : r;
        if (serialiseCanonicalJson(claims) === serialiseCanonicalJson(payload)) return; // not a change
        forged = `${h}.${encodePassportPart(claims)}.${s}`;
      } else {
        const ends = [h.length, jws.lastIndexOf('.'), jws.length];
        const i = 'at' in change ? change.at % jws.length : ends[change.part]! - 1 - change.fromEnd;
        if (jws[i] === change.char || jws[i] === '.') return;
        forged = jws.slice(0, i) + change.char + jws.slice(i + 1);
      }
      const result = await verifyIdentity(formatIdentityHeader(forged, X5U), { now }, { certificates: resolver });
      assert.notEqual(result.verstat, 'TN-Validation-Passed', `forged token verified: ${forged}`);
    }), 400);
  });

  it('among several Identity headers, separate or comma-joined, the one with ppt=shaken is chosen whatever the info URIs hold', () =>
    check(fc.property(
      fc.array(fc.tuple(fc.constantFrom('div', 'rph', 'sh', 'shaken2'), fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.constantFrom('', ';ppt=shaken', ';ppt=shaken;v=1', ',x', ';a=1,b', '"')), { minLength: 0, maxLength: 3 }),
      fc.nat(3), fc.boolean(), fc.webUrl(),
      (others, at, joined, x5u) => {
        const jwsOf = (i: number): string => `${encodeBase64url(`{"h":${i}}`)}.${encodeBase64url('{}')}.${encodeBase64url(String(i))}`;
        const headers = others.map(([ppt, url, tail], i) => `${jwsOf(i + 1)};info=<${url}${tail.replace('"', '%22')}>;alg=ES256;ppt=${ppt}`);
        headers.splice(at % (headers.length + 1), 0, formatIdentityHeader(jwsOf(0), x5u));
        const chosen = selectShakenIdentity(joined ? headers.join(', ') : headers);
        assert.equal(chosen.jws, jwsOf(0), headers.join(' | '));
        assert.equal(chosen.ppt, 'shaken');
      }), 500));

  it('an Identity header reads the same whatever the order of its parameters, their case and the spaces around them', () =>
    check(fc.property(
      fc.webUrl({ withQueryParameters: true }), fc.constantFrom('ES256', 'es256'), fc.constantFrom('shaken', '"shaken"'),
      fc.uniqueArray(fc.tuple(fc.stringMatching(/^x-[a-z]{1,6}$/), fc.oneof(fc.stringMatching(/^[A-Za-z0-9.-]{1,8}$/), fc.string({ unit: fc.constantFrom(...'a ;,<>='), maxLength: 6 }).map((v) => `"${v}"`))), { maxLength: 3, selector: ([k]) => k }),
      fc.nat(), fc.constantFrom('', ' ', '\t'), fc.boolean(),
      (url, alg, ppt, extra, seed, ws, upper) => {
        const jws = 'eyJhIjoxfQ.eyJiIjoyfQ.c2ln';
        const params: [string, string][] = [['info', `<${url}>`], ['alg', alg], ['ppt', ppt], ...extra];
        // A deterministic shuffle from the seed.
        const order = params.map((p, i) => ({ p, k: (seed * (i + 7919)) % 104729 })).sort((a, b) => a.k - b.k).map((x) => x.p);
        const text = `${jws}${order.map(([k, v]) => `${ws};${ws}${upper ? k.toUpperCase() : k}${ws}=${ws}${v}`).join('')}`;
        const h = parseIdentityHeader(text);
        assert.equal(h.jws, jws);
        assert.equal(h.info, url);
        assert.equal(h.alg, alg);
        assert.equal(h.ppt, 'shaken');
        for (const [k, v] of extra) assert.equal(h.params[k], v.startsWith('"') ? v.slice(1, -1) : v);
      }), 500));

  it('any header text, random or mutated, gives a parsed header or an Identity rejection; verification gives a verstat', async () => {
    const { signer } = await getTestPki();
    const { resolver } = await createTestResolver();
    const now = Date.now();
    const good = signer.signIdentity({ attest: 'A', dest: { tn: ['12155551213'] }, iat: Math.floor(now / 1000), orig: { tn: '12155551212' }, origid: 'p' });
    const headerText = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), mutated(fc.constant(good), ';=<>",. \t:/\\Ae9_-\u0000é'));
    await check(fc.asyncProperty(headerText, async (text) => {
      try {
        parseIdentityHeader(text);
      } catch (err) {
        assert.ok(readRejection(err) !== undefined, `not an Identity rejection: ${String(err)}`);
      }
      valueOrCatalogued(() => parsePassport(text.split(';')[0] ?? ''), STIR_CODES);
      const result = await verifyIdentity(text, { now }, { certificates: resolver });
      assert.ok(['TN-Validation-Passed', 'TN-Validation-Failed', 'No-TN-Validation'].includes(result.verstat));
      if (result.verstat === 'TN-Validation-Passed') assert.equal(parseIdentityHeader(text).jws, good.split(';')[0]);
    }), 600);
  });
});
