import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SipParseError, headerValue, headerValues, parseMessage, parseVia } from '../../../src/sip/parse-message.js';
import type { SipRequest } from '../../../src/sip/parse-message.js';
import { parseNameAddr, withUriParam } from '../../../src/sip/name-addr.js';
import { callerOf } from '../../../src/sip/screen-invite.js';
import { seededRandom } from '../../../src/seeded-random.js';

const INVITE = [
  'INVITE sip:+8613800138000@switch.example;user=phone SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds, SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bKabc',
  'v: SIP/2.0/UDP proxy.example;branch=z9hG4bK-third;received=192.0.2.1',
  'Max-Forwards: 70',
  'f: "Alice Smith" <sip:alice@atlanta.example>;tag=1928301774',
  't: <tel:+8613800138000>',
  'i: a84b4c76e66710@pc33.atlanta.example',
  'CSeq: 314159 INVITE',
  'P-Asserted-Identity: "Alice" <sip:+8613912345678@atlanta.example;user=phone>,',
  ' <tel:+8613912345678>',
  'Identity: eyJhbGciOiJFUzI1NiJ9.eyJ4Ijp7fX0.c2ln;info=<https://cert.example/a,b.pem>;alg=ES256;ppt=shaken',
  'Subject: folded',
  '\tacross lines',
  'c: application/sdp',
  'l: 4',
  '',
  'v=0\r\nextra',
].join('\r\n');

function parseRequest(text: string, stream = false): SipRequest {
  const m = parseMessage(Buffer.from(text), { stream });
  assert.equal(m.kind, 'request');
  return m as SipRequest;
}

function reasonOf(text: string, stream = false): string {
  try {
    parseMessage(Buffer.from(text), { stream });
  } catch (err) {
    assert.ok(err instanceof SipParseError, String(err));
    return err.message;
  }
  return 'parsed';
}

describe('SIP message parser (RFC 3261 §7)', () => {
  it('reads the request line, compact forms, folding, multiple Via and a Content-Length-bounded body', () => {
    const r = parseRequest(INVITE);
    assert.equal(r.method, 'INVITE');
    assert.equal(r.uri, 'sip:+8613800138000@switch.example;user=phone');
    const vias = headerValues(r.headers, 'via');
    assert.equal(vias.length, 3);
    assert.deepEqual(vias.map((v) => parseVia(v).branch), ['z9hG4bK776asdhds', 'z9hG4bKabc', 'z9hG4bK-third']);
    assert.equal(parseVia(vias[1]!).host, '[2001:db8::1]');
    assert.equal(parseVia(vias[1]!).port, 5070);
    assert.equal(headerValue(r.headers, 'call-id'), 'a84b4c76e66710@pc33.atlanta.example');
    assert.equal(headerValue(r.headers, 'subject'), 'folded across lines');
    assert.equal(headerValues(r.headers, 'p-asserted-identity').length, 2);
    assert.equal(headerValues(r.headers, 'identity').length, 1, 'the comma inside <…> does not split');
    assert.equal(r.body, 'v=0\r');
  });

  it('takes the caller from the tel: P-Asserted-Identity, else From; name-addr display names and params', () => {
    assert.equal(callerOf(parseRequest(INVITE)).uri, 'tel:+8613912345678');
    const noPai = parseRequest(INVITE.replace(/P-Asserted-Identity:[^\r]*\r\n [^\r]*\r\n/, ''));
    assert.deepEqual(callerOf(noPai), { uri: 'sip:alice@atlanta.example', header: 'From', displayName: 'Alice Smith' });
    const na = parseNameAddr('"A \\"B\\"" <sip:+1555@h;user=phone>;tag=x', 'From');
    assert.equal(na.displayName, 'A "B"');
    assert.equal(na.uri, 'sip:+1555@h;user=phone');
    assert.equal(na.params.get('tag'), 'x');
    const bare = parseNameAddr('sip:bob@b.example;tag=9', 'To');
    assert.equal(bare.uri, 'sip:bob@b.example');
    assert.equal(bare.params.get('tag'), '9');
    assert.equal(withUriParam('tel:+1555;verstat=No-TN-Validation', 'verstat', 'TN-Validation-Passed'), 'tel:+1555;verstat=TN-Validation-Passed');
    assert.throws(() => parseNameAddr('"unterminated <sip:a@b>', 'From'), SipParseError);
  });

  it('rejects what RFC 3261 does not allow, naming the problem', () => {
    assert.equal(reasonOf(INVITE.replace('i: a84b4c76e66710@pc33.atlanta.example\r\n', '')), 'Missing Call-ID');
    assert.equal(reasonOf(INVITE.replace('CSeq: 314159 INVITE', 'CSeq: 314159 BYE')), 'CSeq Method Mismatch');
    assert.equal(reasonOf(INVITE.replace('CSeq: 314159 INVITE', 'CSeq: x INVITE')), 'Bad CSeq');
    assert.equal(reasonOf(INVITE.replace('l: 4', 'l: 400')), 'Content-Length Too Large');
    assert.equal(reasonOf(INVITE.replace('l: 4', 'l: -1')), 'Bad Content-Length');
    assert.equal(reasonOf(INVITE.replace('l: 4\r\n', '').replace('Subject', 'X-A'), true), 'Missing Content-Length');
    assert.equal(reasonOf(INVITE.replace('SIP/2.0\r\n', 'SIP/3.0\r\n')), 'Version Not Supported');
    assert.equal(reasonOf(INVITE.replace('sip:+8613800138000@switch.example;user=phone', 'http://x')), 'Bad Request-URI');
    assert.equal(reasonOf(INVITE.replace('v: SIP/2.0/UDP proxy.example', 'v: HTTP/1.1 proxy.example')), 'Bad Via');
    assert.equal(reasonOf(INVITE.replace('Max-Forwards: 70', 'Max-Forwards: 70\r\nMax-Forwards: 69')), 'Duplicate max-forwards');
    assert.equal(reasonOf(INVITE.replace('INVITE sip:', 'INVITE  sip:')), 'Bad Request Line');
    assert.equal(reasonOf('INVITE sip:a@b SIP/2.0\r\nVia SIP/2.0/UDP h\r\n\r\n'), 'Bad Header Line');
    assert.equal(reasonOf(INVITE.slice(0, 60)), 'Incomplete Message');
    assert.equal(parseMessage(Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\r\n')).kind, 'response');
  });

  // Thousands of mutated INVITEs from a seeded generator (the same sequence on every machine):
  // the parser returns a message or throws SipParseError, never anything else.
  it('fuzz: 5000 mutated INVITEs never throw anything but SipParseError', () => {
    const rnd = seededRandom(20261203);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const specials = ['\r', '\n', '\r\n', ':', ';', ',', '<', '>', '"', '\\', ' ', '\t', '=', '\0', '\u00ff', '\ud83d\ude00', '%', 'SIP/2.0', 'z9hG4bK', '\r\n\r\n', 'l: 99999'];
    const base = Buffer.from(INVITE);
    let parsed = 0;
    let rejected = 0;
    for (let i = 0; i < 5000; i++) {
      let text = INVITE;
      const n = 1 + Math.floor(rnd() * 6);
      for (let k = 0; k < n; k++) {
        const at = Math.floor(rnd() * (text.length + 1));
        switch (Math.floor(rnd() * 6)) {
          case 0: text = text.slice(0, at) + pick(specials) + text.slice(at); break;
          case 1: text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 20)); break;
          case 2: text = text.slice(0, at); break;
          case 3: {
            const lines = text.split('\r\n');
            const a = Math.floor(rnd() * lines.length);
            lines.splice(Math.floor(rnd() * lines.length), 0, lines[a]!);
            text = lines.join('\r\n');
            break;
          }
          case 4: text = text.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 256)) + text.slice(at + 1); break;
          default: text = text.slice(0, at) + text.slice(at).toUpperCase(); break;
        }
      }
      const buf = rnd() < 0.1 ? Buffer.concat([base.subarray(0, Math.floor(rnd() * base.length)), Buffer.from([Math.floor(rnd() * 256)])]) : Buffer.from(text);
      try {
        const m = parseMessage(buf, { stream: rnd() < 0.5 });
        if (m.kind === 'request') {
          try {
            callerOf(m);
          } catch (err) {
            assert.ok(err instanceof SipParseError, `caller: ${String(err)}`);
          }
        }
        parsed++;
      } catch (err) {
        assert.ok(err instanceof SipParseError, `mutation ${i}: ${String(err)}\n${JSON.stringify(text)}`);
        rejected++;
      }
    }
    assert.ok(parsed > 100 && rejected > 100, `parsed ${parsed}, rejected ${rejected}`);
  });
});

// Found by test/unit/properties/sip.test.ts: header parameters were split at every ';' and '=', so a
// quoted-string value (RFC 3261 §25.1 gen-value) made a valid From a 400 or lost part of its value.
describe('name-addr header parameters with quoted-string values', () => {
  it('keeps ";" and "=" inside a quoted value', () => {
    const a = parseNameAddr('<tel:+1000000>;A="="', 'From');
    assert.equal(a.params.get('a'), '"="');
    const b = parseNameAddr('"Alice" <sip:alice@atlanta.example>;x="a;b=c";tag=19', 'From');
    assert.deepEqual([...b.params], [['x', '"a;b=c"'], ['tag', '19']]);
  });
  it('refuses an unterminated quoted value', () => {
    assert.throws(() => parseNameAddr('<sip:a@b>;x="open', 'From'), SipParseError);
  });
});
