import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIdentifier, normaliseNumber, normaliseEmail, normaliseAccount, parseSipUri, hashIdentifier, looksCanonicalE164 } from '../../../src/identity/index.js';
import { CallshieldError } from '../../../src/errors.js';
import type { ErrorCode } from '../../../src/errors.js';

const CN = { defaultRegion: 'CN' };

function parsesTo(input: string, kind: string, canonical: string, options: { defaultRegion?: string } = CN): void {
  assert.deepEqual({ ...parseIdentifier(input, options) }, { kind, canonical }, JSON.stringify(input));
}

function fails(fn: () => unknown, code: ErrorCode, field?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CallshieldError, String(err));
    assert.equal(err.code, code, err.message);
    if (field !== undefined) assert.equal(err.field, field);
    assert.ok(err.message.length > 0);
    return true;
  });
}

describe('parseIdentifier: phone numbers', () => {
  it('E.164 stays E.164', () => {
    parsesTo('+8613800138000', 'phone', '+8613800138000');
    parsesTo('+12025550143', 'phone', '+12025550143');
    parsesTo('  +8613800138000  ', 'phone', '+8613800138000');
  });

  it('international formats with separators', () => {
    parsesTo('+86 138-0013-8000', 'phone', '+8613800138000');
    parsesTo('+86 (21) 5555 1234', 'phone', '+862155551234');
    parsesTo('+1 202 555 0143', 'phone', '+12025550143');
    parsesTo('+1.202.555.0143', 'phone', '+12025550143');
  });

  it('the 00 international prefix', () => {
    parsesTo('0086 138 0013 8000', 'phone', '+8613800138000');
    parsesTo('008613800138000', 'phone', '+8613800138000');
  });

  it('national formats use the default region', () => {
    parsesTo('021 5555 1234', 'phone', '+862155551234');
    parsesTo('138 0013 8000', 'phone', '+8613800138000');
    parsesTo('13800138000', 'phone', '+8613800138000');
    parsesTo('(202) 555-0143', 'phone', '+12025550143', { defaultRegion: 'US' });
  });

  it('national formats without a default region are an error that says why', () => {
    assert.throws(() => parseIdentifier('021 5555 1234'), (err: unknown) => err instanceof CallshieldError && err.code === 'IDENTITY_INVALID_NUMBER' && /default region/.test(err.message));
  });

  it('tel: URIs, with visual separators and parameters', () => {
    parsesTo('tel:+8613800138000', 'phone', '+8613800138000');
    parsesTo('tel:+86-138-0013-8000', 'phone', '+8613800138000');
    parsesTo('TEL:+86-138-0013-8000;phone-context=example.com', 'phone', '+8613800138000');
    parsesTo('tel:021 5555 1234', 'phone', '+862155551234');
  });

  it('invalid numbers name the field', () => {
    fails(() => parseIdentifier('12', CN), 'IDENTITY_INVALID_NUMBER', 'caller');
    fails(() => parseIdentifier('abc', CN), 'IDENTITY_INVALID_NUMBER', 'caller');
    fails(() => parseIdentifier('+999 123', CN), 'IDENTITY_INVALID_NUMBER');
    fails(() => parseIdentifier('+86 1', CN), 'IDENTITY_INVALID_NUMBER');
    fails(() => parseIdentifier('tel:abc', CN), 'IDENTITY_INVALID_NUMBER');
    fails(() => parseIdentifier('12', CN, 'calls.3.callee'), 'IDENTITY_INVALID_NUMBER', 'calls.3.callee');
    fails(() => parseIdentifier('+'.padEnd(600, '1'), CN), 'IDENTITY_INVALID_NUMBER');
  });

  it('an unknown region is its own error', () => {
    fails(() => normaliseNumber('021 5555 1234', 'XX'), 'IDENTITY_INVALID_REGION');
  });
});

describe('parseIdentifier: e-mail addresses (the FaceTime case)', () => {
  it('are case-folded to one spelling', () => {
    parsesTo('Scammer@iCloud.COM', 'email', 'scammer@icloud.com');
    parsesTo('  scammer@icloud.com ', 'email', 'scammer@icloud.com');
    parsesTo('mailto:Scammer@iCloud.com', 'email', 'scammer@icloud.com');
    parsesTo('first.last+tag@mail.example.co.uk', 'email', 'first.last+tag@mail.example.co.uk');
  });

  it('invalid addresses are IDENTITY_INVALID_EMAIL', () => {
    for (const bad of ['a@b', '@icloud.com', 'scammer@', 'a..b@icloud.com', '.a@icloud.com', 'a b@icloud.com', 'a@-icloud.com', 'a@icloud.c', `${'a'.repeat(65)}@icloud.com`, 'a@b@icloud.com']) {
      fails(() => parseIdentifier(bad, CN), 'IDENTITY_INVALID_EMAIL');
    }
    fails(() => normaliseEmail('not-an-address', 'contacts.2'), 'IDENTITY_INVALID_EMAIL', 'contacts.2');
  });
});

describe('parseIdentifier: platform accounts', () => {
  it('lower-case the platform and keep the id as given', () => {
    parsesTo('account:Zoom:abc', 'account', 'account:zoom:abc');
    parsesTo('ACCOUNT:zoom:8841203', 'account', 'account:zoom:8841203');
    parsesTo('account:teams.live:AbC-123', 'account', 'account:teams.live:AbC-123');
    assert.equal(normaliseAccount('account:WeChat:wxid_Ab12'), 'account:wechat:wxid_Ab12');
  });

  it('invalid accounts are IDENTITY_INVALID_ACCOUNT', () => {
    for (const bad of ['account:zoom:', 'account::8841203', 'account:zo om:1', 'account:zoom:a b', 'account:zoom', `account:zoom:${'x'.repeat(129)}`, 'account:-zoom:1']) {
      fails(() => parseIdentifier(bad, CN), 'IDENTITY_INVALID_ACCOUNT');
    }
  });
});

describe('parseIdentifier: SIP URIs', () => {
  it('a SIP URI whose user is a number becomes that number', () => {
    parsesTo('sip:+8613800138000@carrier.example;user=phone', 'phone', '+8613800138000');
    parsesTo('sip:+8613800138000@carrier.example', 'phone', '+8613800138000');
    parsesTo('sips:+8613800138000@carrier.example', 'phone', '+8613800138000');
    parsesTo('<sip:+86-138-0013-8000@carrier.example;user=phone>', 'phone', '+8613800138000');
    parsesTo('sip:13800138000@carrier.example;user=phone', 'phone', '+8613800138000');
    parsesTo('sip:%2B8613800138000@carrier.example', 'phone', '+8613800138000');
  });

  it('a SIP URI with a name keeps user and lower-cased host', () => {
    parsesTo('sip:Alice@Example.COM', 'sip', 'sip:Alice@example.com');
    parsesTo('sip:alice@example.com;transport=tls', 'sip', 'sip:alice@example.com');
  });

  it('user=phone with something that is not a valid number is an invalid number', () => {
    fails(() => parseIdentifier('sip:12@carrier.example;user=phone', CN), 'IDENTITY_INVALID_NUMBER');
  });

  it('malformed SIP URIs are IDENTITY_INVALID_SIP_URI', () => {
    for (const bad of ['sip:@host', 'sip:alice', 'sip:a@b c', 'sip:%E0%A4%A@host', 'sip:alice@exa$mple.com', 'sip:%00@host', 'sip:a%0Ab@host', 'sip:%20@host', 'sip:a%40b@host', 'sip:%3Bx@host']) {
      fails(() => parseIdentifier(bad, CN), 'IDENTITY_INVALID_SIP_URI');
    }
  });

  // Found by test/unit/properties/identity.test.ts: the canonical form must parse to itself.
  it('a user part with an escaped %, ? or > keeps it escaped in the canonical form', () => {
    parsesTo('sip:%3Ealice@example.com', 'sip', 'sip:%3Ealice@example.com');
    parsesTo('sip:%3Ealice@example.com', 'sip', parseIdentifier('sip:%3Ealice@example.com', CN).canonical);
    parsesTo('sip:a%3Fb@example.com', 'sip', 'sip:a%3Fb@example.com');
    parsesTo('sip:a%2541@example.com', 'sip', 'sip:a%2541@example.com');
    assert.notEqual(parseIdentifier('sip:a%2541@example.com', CN).canonical, parseIdentifier('sip:aA@example.com', CN).canonical);
  });

  it('an escaped ";" in the user part is refused, not cut off (a%3Bx and a%3By were one caller)', () => {
    fails(() => parseIdentifier('sip:a%3Ba@example.com', CN), 'IDENTITY_INVALID_SIP_URI');
  });

  it('parseSipUri reports whether the user part is a phone number', () => {
    assert.deepEqual({ ...parseSipUri('sip:+8613800138000@h.example;user=phone') }, { user: '+8613800138000', host: 'h.example', userIsPhone: true });
    assert.equal(parseSipUri('sip:alice@h.example').userIsPhone, false);
  });
});

describe('parseIdentifier: withheld callers', () => {
  it('every spelling of a withheld caller is anonymous', () => {
    for (const w of ['anonymous', 'Anonymous', 'ANONYMOUS', 'withheld', 'private', 'Restricted', 'unavailable', 'unknown', ' anonymous ', 'anonymous@anonymous.invalid', 'sip:anonymous@anonymous.invalid', 'sip:Anonymous@carrier.example', '<sip:anonymous@anonymous.invalid>']) {
      parsesTo(w, 'anonymous', 'anonymous');
    }
  });
});

describe('parseIdentifier: empty and wrong types', () => {
  it('empty or blank input is IDENTITY_EMPTY', () => {
    fails(() => parseIdentifier('', CN, 'caller'), 'IDENTITY_EMPTY', 'caller');
    fails(() => parseIdentifier('   ', CN, 'callee'), 'IDENTITY_EMPTY', 'callee');
  });

  it('a non-string is refused, naming the field', () => {
    for (const v of [5, null, undefined, {}, ['+8613800138000']]) {
      assert.throws(() => parseIdentifier(v, CN, 'caller'), (err: unknown) => err instanceof CallshieldError && err.field === 'caller' && err.status === 400);
    }
  });

  it('text that is no kind of identifier is refused', () => {
    for (const bad of ['hello world', '诈骗', '😀', '+86 abc', 'ftp://example.com']) {
      assert.throws(() => parseIdentifier(bad, CN), (err: unknown) => err instanceof CallshieldError && err.status === 400);
    }
  });
});

describe('one identifier, one canonical string', () => {
  it('every spelling of the same number gives the same string and the same hash', () => {
    const spellings = ['+8613800138000', '+86 138-0013-8000', '138 0013 8000', '0086 138 0013 8000', 'tel:+86-138-0013-8000', 'sip:+8613800138000@carrier.example;user=phone'];
    const canon = new Set(spellings.map((s) => parseIdentifier(s, CN).canonical));
    assert.deepEqual([...canon], ['+8613800138000']);
    const hashes = new Set([...canon].map((c) => hashIdentifier('secret', c)));
    assert.equal(hashes.size, 1);
  });

  it('hashIdentifier is keyed: another secret, another hash', () => {
    assert.notEqual(hashIdentifier('one', '+8613800138000'), hashIdentifier('two', '+8613800138000'));
    assert.notEqual(hashIdentifier('one', '+8613800138000'), hashIdentifier('one', '+8613800138001'));
    assert.equal(hashIdentifier('one', '+8613800138000'), hashIdentifier('one', '+8613800138000'));
  });

  it('looksCanonicalE164 accepts only canonical E.164', () => {
    assert.equal(looksCanonicalE164('+8613800138000'), true);
    for (const s of ['8613800138000', '+86 138', '+0123456789', '+86138001380001234', 'tel:+8613800138000']) assert.equal(looksCanonicalE164(s), false, s);
  });
});
