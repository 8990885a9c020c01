// Property tests for the SIP parsers that face the network (src/sip): name-addr values (From, To,
// P-Asserted-Identity, Contact) written the way RFC 3261 §25.1 allows read back to what was written,
// lists split where they should, and any bytes give a message or a SipParseError, never another error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseNameAddr, quoteDisplayName, withUriParam } from '../../../src/sip/name-addr.js';
import { SipParseError, headerValue, headerValues, parseCSeq, parseMessage, parseVia } from '../../../src/sip/parse-message.js';
import type { SipRequest } from '../../../src/sip/parse-message.js';
import { check, mutated } from './check.js';

const token = fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~]{1,12}$/);
const host = fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6().map((a) => `[${a}]`));
const uriParams = fc.array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), token), { maxLength: 3 }).map((ps) => ps.map(([k, v]) => `;${k}=${v}`).join(''));
const uri = fc.oneof(
  fc.tuple(fc.constantFrom('sip', 'sips', 'SIP'), fc.stringMatching(/^[A-Za-z0-9+.\-_!~*'()&=$,]{1,16}$/), host, uriParams).map(([s, u, h, p]) => `${s}:${u}@${h}${p}`),
  fc.tuple(fc.stringMatching(/^\+[1-9][0-9]{6,14}$/), uriParams).map(([n, p]) => `tel:${n}${p}`),
);
// Header parameters: a token value, a quoted string (which may hold ; = , and escaped quotes) or none.
const quoted = fc.string({ unit: fc.constantFrom(...'ab ;=,<>@"\\é'), maxLength: 10 }).map((s) => `"${s.replace(/(["\\])/g, '\\$1')}"`);
const headerParams = fc.uniqueArray(fc.tuple(token, fc.option(fc.oneof(token, quoted), { nil: undefined })), { maxLength: 3, selector: ([k]) => k.toLowerCase() });
const displayName = fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: fc.constantFrom(...'a ,;<>"\\:@'), maxLength: 12 })), { nil: undefined });

function nameAddrText(name: string | undefined, u: string, params: readonly [string, string | undefined][]): string {
  const p = params.map(([k, v]) => (v === undefined ? `;${k}` : `;${k}=${v}`)).join('');
  return `${name === undefined ? '' : `${quoteDisplayName(name)} `}<${u}>${p}`;
}

function expectNameAddr(text: string, name: string | undefined, u: string, params: readonly [string, string | undefined][]): void {
  const parsed = parseNameAddr(text, 'From');
  assert.equal(parsed.displayName, name === undefined ? undefined : name.replace(/\p{Cc}/gu, ' '));
  assert.equal(parsed.uri, u);
  assert.deepEqual([...parsed.params], params.map(([k, v]) => [k.toLowerCase(), v ?? '']));
}

describe('SIP name-addr properties', () => {
  it('a name-addr written per RFC 3261 §25.1 reads back to its display name, URI and parameters', () =>
    check(fc.property(displayName, uri, headerParams, (name, u, params) => {
      expectNameAddr(nameAddrText(name, u, params), name, u, params);
    }), 1000));

  it('a list of name-addrs joined by commas splits back into the same values', () =>
    check(fc.property(fc.array(fc.tuple(displayName, uri, headerParams), { minLength: 1, maxLength: 4 }), (list) => {
      const value = list.map(([n, u, p]) => nameAddrText(n, u, p)).join(', ');
      const headers = [{ name: 'p-asserted-identity', value }];
      const values = headerValues(headers, 'p-asserted-identity');
      assert.equal(values.length, list.length, value);
      values.forEach((v, i) => expectNameAddr(v, ...list[i]!));
    }), 500));

  it('withUriParam sets one parameter, keeps ?headers, and setting it twice is the same as once', () =>
    check(fc.property(uri, fc.option(fc.stringMatching(/^\?[a-z]+=[a-z0-9]+$/), { nil: '' }), fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), token, (u, headers, name, value) => {
      const once = withUriParam(`${u}${headers}`, name, value);
      assert.equal(withUriParam(once, name, value), once);
      assert.ok(once.endsWith(`;${name}=${value}${headers}`));
      assert.equal(once.split(';').filter((p) => p.split('=')[0]?.toLowerCase() === name).length, 1);
    }), 500));

  it('any value gives a name-addr or a SipParseError', () =>
    check(fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 40 }), mutated(fc.constant('"Alice \\"A\\"" <sip:alice@atlanta.example;user=phone>;tag=19'), '"<>;=\\, :@\t\u0000')), (text) => {
      try {
        parseNameAddr(text, 'From');
      } catch (err) {
        assert.ok(err instanceof SipParseError, String(err));
      }
    }), 1000));
});

type NameAddrParts = [string | undefined, string, [string, string | undefined][]];
interface InviteParts {
  ruri: string;
  from: NameAddrParts;
  pai: NameAddrParts[];
  callId: string;
  cseq: number;
  body: string;
}

describe('SIP message properties', () => {
  const invite: fc.Arbitrary<InviteParts> = fc.record({
    ruri: uri,
    from: fc.tuple(displayName, uri, headerParams),
    pai: fc.array(fc.tuple(displayName, uri, headerParams), { maxLength: 3 }),
    callId: fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}@]{1,30}$/),
    cseq: fc.integer({ min: 0, max: 0xffffffff }),
    body: fc.string({ maxLength: 40 }),
  });

  function inviteText(r: InviteParts): string {
    const bodyBytes = Buffer.byteLength(r.body);
    return [
      `INVITE ${r.ruri.replace(/^SIP:/, 'sip:')} SIP/2.0`,
      'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds',
      `From: ${nameAddrText(...r.from)}`,
      'To: <tel:+8613800138000>',
      ...(r.pai.length ? [`P-Asserted-Identity: ${r.pai.map((p) => nameAddrText(...p)).join(', ')}`] : []),
      `Call-ID: ${r.callId}`,
      `CSeq: ${r.cseq} INVITE`,
      `Content-Length: ${bodyBytes}`,
      '',
      r.body,
    ].join('\r\n');
  }

  it('a Via and a CSeq read back to what was written', () =>
    check(fc.property(
      fc.constantFrom('UDP', 'tcp', 'TLS', 'WS'), fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6().map((a) => `[${a}]`)), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
      fc.stringMatching(/^z9hG4bK[A-Za-z0-9.!%*_+`'~-]{1,20}$/), fc.boolean(), fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom('INVITE', 'ACK', 'OPTIONS', 'X-NEW'),
      (transport, host, port, branch, rport, seq, method) => {
        const v = parseVia(`SIP/2.0/${transport} ${host}${port === undefined ? '' : `:${port}`};branch=${branch}${rport ? ';rport' : ''}`);
        assert.deepEqual({ transport: v.transport, host: v.host, port: v.port, branch: v.branch, rport: v.params.has('rport') }, { transport: transport.toUpperCase(), host: host.toLowerCase(), port, branch, rport });
        assert.deepEqual(parseCSeq(`${seq} ${method}`), { seq, method });
      }), 500));

  it('an INVITE built from valid parts parses back to those parts (UDP and TCP framing)', () =>
    check(fc.property(invite, fc.boolean(), (r, stream) => {
      const m = parseMessage(Buffer.from(inviteText(r)), { stream }) as SipRequest;
      assert.equal(m.kind, 'request');
      assert.equal(m.method, 'INVITE');
      assert.equal(headerValue(m.headers, 'call-id'), r.callId);
      assert.equal(m.body, r.body);
      expectNameAddr(headerValue(m.headers, 'from')!, ...r.from);
      const pais = headerValues(m.headers, 'p-asserted-identity');
      assert.equal(pais.length, r.pai.length);
      pais.forEach((v, i) => expectNameAddr(v, ...r.pai[i]!));
    }), 500));

  it('any bytes, random or a mutated INVITE, give a message or a SipParseError', () =>
    check(fc.property(fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
      invite.chain((r) => mutated(fc.constant(inviteText(r)), ['\r\n', '\n', '\r\n\r\n', ':', ' ', '\t', ';', ',', '"', '<', '>', '\u0000', 'é', '0', '9'])).map((s) => Buffer.from(s)),
    ), fc.boolean(), (buf, stream) => {
      try {
        parseMessage(buf, { stream });
      } catch (err) {
        assert.ok(err instanceof SipParseError, String(err));
      }
    }), 1000));
});
