import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { screenCall, DEFAULT_THRESHOLDS, GUARDIAN_THRESHOLDS, adviceFor, compilePolicy, serialisePolicy, deserialisePolicy, describePolicy } from '../../../src/screening/index.js';
import type { Decision, ScreenCall, SubscriberPolicy } from '../../../src/screening/index.js';
import type { HotReputation } from '../../../src/reputation/index.js';
import { labelOf } from '../../../src/reputation/index.js';
import type { Identifier } from '../../../src/identity/index.js';
import { CallshieldError } from '../../../src/errors.js';

const phone = (canonical: string): Identifier => ({ kind: 'phone', canonical });
const CALLER = phone('+8613800138000');
const EMAIL: Identifier = { kind: 'email', canonical: 'scammer@icloud.com' };
const ANON: Identifier = { kind: 'anonymous', canonical: 'anonymous' };
const CALLEE = phone('+8613911112222');
const hash = (c: string): string => `h:${c}`;
const noHash = (): string => {
  throw new Error('hashCaller must not be called here');
};

function call(extra: Partial<ScreenCall> = {}): ScreenCall {
  return { caller: CALLER, callee: CALLEE, channel: 'pstn', at: Date.UTC(2026, 10, 26), ...extra };
}

function policy(extra: Partial<SubscriberPolicy> = {}): SubscriberPolicy {
  return { contacts: new Set(), pinnedBusinesses: new Set(), silenceUnknownVideo: false, guardianMode: false, paused: false, blockWithheld: false, language: 'en', ...extra };
}

function rep(score: number, extra: Partial<HotReputation> = {}): HotReputation {
  return { score, category: 'fraud', confidence: 0.8, reports: 5, confirmed: false, claimedOrganization: null, ...extra };
}

const codes = (d: Decision): string[] => d.reasons.map((r) => r.code);

describe('screenCall', () => {
  it('nothing known, no policy: allow, "Unknown caller", NO_EVIDENCE, no advice', () => {
    const d = screenCall(call(), undefined, undefined, noHash);
    assert.deepEqual(d, { action: 'allow', score: 0, category: null, label: 'Unknown caller', reasons: [{ code: 'NO_EVIDENCE', text: 'Nothing is known against this caller' }] });
  });

  describe('thresholds', () => {
    it('default: label at 30, warn at 60, block at 85', () => {
      assert.deepEqual({ ...DEFAULT_THRESHOLDS }, { label: 30, warn: 60, block: 85 });
      const expect: [number, string][] = [[1, 'allow'], [29, 'allow'], [30, 'label'], [59, 'label'], [60, 'warn'], [84, 'warn'], [85, 'block'], [100, 'block']];
      for (const [score, action] of expect) {
        const d = screenCall(call(), undefined, rep(score), noHash);
        assert.equal(d.action, action, `score ${score}`);
        assert.equal(d.score, score);
        assert.equal(d.category, 'fraud');
        assert.ok(codes(d).includes('REPUTATION'));
        assert.equal(d.label, score >= 30 ? labelOf(rep(score)) : 'Unknown caller', `score ${score}`);
        assert.ok(!codes(d).includes('GUARDIAN_MODE'));
      }
    });

    it('guardian mode: every step twice as early, and says so', () => {
      assert.deepEqual({ ...GUARDIAN_THRESHOLDS }, { label: 15, warn: 30, block: 60 });
      const expect: [number, string][] = [[14, 'allow'], [15, 'label'], [29, 'label'], [30, 'warn'], [59, 'warn'], [60, 'block']];
      for (const [score, action] of expect) {
        const d = screenCall(call(), policy({ guardianMode: true }), rep(score), noHash);
        assert.equal(d.action, action, `score ${score}`);
        assert.equal(codes(d).includes('GUARDIAN_MODE'), action !== 'allow', `score ${score}`);
      }
      // A caller two reports deep (39): label normally, warn for a guardian.
      assert.equal(screenCall(call(), undefined, rep(39), noHash).action, 'label');
      assert.equal(screenCall(call(), policy({ guardianMode: true }), rep(39), noHash).action, 'warn');
    });
  });

  it('a confirmed listing blocks whatever the score', () => {
    const d = screenCall(call(), undefined, rep(20, { confirmed: true }), noHash);
    assert.equal(d.action, 'block');
    assert.ok(codes(d).includes('CONFIRMED_LIST'));
  });

  describe('contacts and pinned businesses', () => {
    it('a contact is allowed even when confirmed fraud', () => {
      const p = policy({ contacts: new Set([hash(CALLER.canonical)]) });
      const d = screenCall(call(), p, rep(95, { confirmed: true }), hash);
      assert.equal(d.action, 'allow');
      assert.equal(d.label, 'Contact');
      assert.deepEqual(codes(d), ['CONTACT']);
      assert.equal(d.score, 95, 'the score is still reported');
      assert.equal(d.advice, undefined);
    });

    it('a contact on video gets no stranger advice and is not silenced', () => {
      const p = policy({ contacts: new Set([hash(EMAIL.canonical)]), silenceUnknownVideo: true, guardianMode: true });
      const d = screenCall(call({ caller: EMAIL, channel: 'video' }), p, undefined, hash);
      assert.equal(d.action, 'allow');
      assert.deepEqual(codes(d), ['CONTACT']);
      assert.equal(d.advice, undefined);
    });

    it('a pinned business is allowed', () => {
      const p = policy({ pinnedBusinesses: new Set([hash(CALLER.canonical)]) });
      const d = screenCall(call(), p, rep(70), hash);
      assert.equal(d.action, 'allow');
      assert.equal(d.label, 'Pinned business');
      assert.deepEqual(codes(d), ['PINNED_BUSINESS']);
    });

    it('someone else is not a contact', () => {
      const p = policy({ contacts: new Set([hash('+8613700137000')]) });
      assert.equal(screenCall(call(), p, rep(70), hash).action, 'warn');
    });

    it('the caller is hashed only when the policy has contacts or pinned numbers, and never when anonymous', () => {
      assert.doesNotThrow(() => screenCall(call(), policy(), rep(70), noHash));
      assert.doesNotThrow(() => screenCall(call({ caller: ANON }), policy({ contacts: new Set(['h:anonymous']) }), undefined, noHash));
      let hashed = 0;
      screenCall(call(), policy({ contacts: new Set(['x']) }), undefined, (c) => (hashed++, hash(c)));
      assert.equal(hashed, 1);
    });
  });

  describe('withheld callers', () => {
    it('are labelled "Number withheld" with advice', () => {
      const d = screenCall(call({ caller: ANON }), undefined, undefined, noHash);
      assert.equal(d.action, 'label');
      assert.equal(d.label, 'Number withheld');
      assert.ok(codes(d).includes('WITHHELD'));
      assert.equal(d.advice, adviceFor('withheld', 'en'));
    });

    it('blockWithheld blocks them; guardian mode silences them', () => {
      assert.equal(screenCall(call({ caller: ANON }), policy({ blockWithheld: true }), undefined, noHash).action, 'block');
      assert.equal(screenCall(call({ caller: ANON }), policy({ guardianMode: true }), undefined, noHash).action, 'silence');
      assert.equal(screenCall(call({ caller: ANON }), policy({ guardianMode: true, blockWithheld: true }), undefined, noHash).action, 'block');
    });
  });

  describe('caller-ID authentication', () => {
    it('a failed verification adds 25 points, CALLER_ID_FAILED and spoofing advice', () => {
      const d = screenCall(call({ verstat: 'TN-Validation-Failed' }), undefined, undefined, noHash);
      assert.equal(d.score, 25);
      assert.equal(d.action, 'allow');
      assert.equal(d.label, 'Unverified caller ID');
      assert.ok(codes(d).includes('CALLER_ID_FAILED'));
      assert.equal(d.advice, adviceFor('spoofed', 'en'));
      const labelled = screenCall(call({ verstat: 'TN-Validation-Failed' }), undefined, rep(40), noHash);
      assert.equal(labelled.score, 65);
      assert.equal(labelled.action, 'warn');
    });

    it('the score never passes 100', () => {
      assert.equal(screenCall(call({ verstat: 'TN-Validation-Failed' }), undefined, rep(90), noHash).score, 100);
      assert.equal(screenCall(call({ attestation: 'C' }), undefined, rep(98), noHash).score, 100);
    });

    it('attestation C adds 5 points and ATTESTATION_C; A and B add nothing', () => {
      const c = screenCall(call({ attestation: 'C' }), undefined, rep(27), noHash);
      assert.equal(c.score, 32);
      assert.equal(c.action, 'label');
      assert.ok(codes(c).includes('ATTESTATION_C'));
      for (const attestation of ['A', 'B'] as const) {
        const d = screenCall(call({ attestation }), undefined, rep(27), noHash);
        assert.equal(d.score, 27);
        assert.ok(!codes(d).includes('ATTESTATION_C'));
      }
    });

    it('a failed verification is not counted twice with attestation C', () => {
      const d = screenCall(call({ attestation: 'C', verstat: 'TN-Validation-Failed' }), undefined, undefined, noHash);
      assert.equal(d.score, 25);
      assert.ok(!codes(d).includes('ATTESTATION_C'));
    });

    it('only applies to phone numbers', () => {
      const d = screenCall(call({ caller: EMAIL, channel: 'video', verstat: 'TN-Validation-Failed', attestation: 'C' }), undefined, undefined, noHash);
      assert.equal(d.score, 0);
      assert.ok(!codes(d).includes('CALLER_ID_FAILED') && !codes(d).includes('ATTESTATION_C'));
    });
  });

  describe('advice by category', () => {
    it('fraud or impersonation that warns or blocks gets the fraud advice', () => {
      assert.equal(screenCall(call(), undefined, rep(70), noHash).advice, adviceFor('fraud', 'en'));
      assert.equal(screenCall(call(), undefined, rep(90, { category: 'impersonation' }), noHash).advice, adviceFor('fraud', 'en'));
    });

    it('nuisance categories get the nuisance advice; a mere label gets none', () => {
      assert.equal(screenCall(call(), undefined, rep(70, { category: 'harassment' }), noHash).advice, adviceFor('nuisance', 'en'));
      assert.equal(screenCall(call(), undefined, rep(70, { category: 'robocall' }), noHash).advice, adviceFor('nuisance', 'en'));
      assert.equal(screenCall(call(), undefined, rep(40), noHash).advice, undefined);
    });

    it('advice follows the subscriber\'s language', () => {
      const d = screenCall(call(), policy({ language: 'zh' }), rep(70), noHash);
      assert.equal(d.advice, adviceFor('fraud', 'zh'));
      assert.match(d.advice!, /诈骗/);
      assert.notEqual(adviceFor('video-stranger', 'zh'), adviceFor('video-stranger', 'en'));
    });
  });

  describe('video calls (the FaceTime case)', () => {
    it('a stranger on video always gets the stranger advice, and is not blocked', () => {
      const d = screenCall(call({ caller: EMAIL, channel: 'video' }), undefined, undefined, noHash);
      assert.equal(d.action, 'allow');
      assert.ok(codes(d).includes('VIDEO_STRANGER'));
      assert.equal(d.advice, adviceFor('video-stranger', 'en'));
      assert.match(d.advice!, /share your screen/);
    });

    it('silenceUnknownVideo or guardian mode silences a stranger on video', () => {
      for (const p of [policy({ silenceUnknownVideo: true }), policy({ guardianMode: true })]) {
        const d = screenCall(call({ caller: EMAIL, channel: 'video' }), p, undefined, noHash);
        assert.equal(d.action, 'silence');
        assert.ok(codes(d).includes('SILENCE_UNKNOWN_VIDEO'));
        assert.equal(d.advice, adviceFor('video-stranger', 'en'));
      }
      // silenceUnknownVideo only concerns video.
      assert.equal(screenCall(call(), policy({ silenceUnknownVideo: true }), undefined, noHash).action, 'allow');
    });

    it('a reported fraudster on video keeps the fraud advice; a block stays a block', () => {
      const warn = screenCall(call({ caller: EMAIL, channel: 'video' }), policy({ silenceUnknownVideo: true }), rep(78), noHash);
      assert.equal(warn.action, 'silence');
      assert.equal(warn.advice, adviceFor('fraud', 'en'));
      const block = screenCall(call({ caller: EMAIL, channel: 'video' }), policy({ silenceUnknownVideo: true }), rep(90), noHash);
      assert.equal(block.action, 'block');
    });

    it('a nuisance caller on video gets the stranger advice', () => {
      const d = screenCall(call({ caller: EMAIL, channel: 'video' }), undefined, rep(70, { category: 'spam-ad' }), noHash);
      assert.equal(d.action, 'warn');
      assert.equal(d.advice, adviceFor('video-stranger', 'en'));
    });
  });

  describe('paused protection', () => {
    it('never warns, blocks or silences, but keeps the label and says what it would have done', () => {
      const p = policy({ paused: true, silenceUnknownVideo: true, blockWithheld: true });
      const cases: [ScreenCall, HotReputation | undefined, string][] = [
        [call(), rep(70), 'label'],
        [call(), rep(95, { confirmed: true }), 'label'],
        [call({ caller: ANON }), undefined, 'label'],
        [call({ caller: EMAIL, channel: 'video' }), undefined, 'allow'],
        [call({ verstat: 'TN-Validation-Failed' }), rep(70), 'label'],
      ];
      for (const [c, r, action] of cases) {
        const d = screenCall(c, p, r, noHash);
        assert.equal(d.action, action, `${c.caller.canonical} ${c.channel}`);
        assert.ok(codes(d).includes('PROTECTION_PAUSED'));
      }
      const confirmed = screenCall(call(), p, rep(95, { confirmed: true }), noHash);
      assert.match(confirmed.reasons.find((r) => r.code === 'PROTECTION_PAUSED')!.text, /block/);
      assert.equal(confirmed.label, labelOf(rep(95, { confirmed: true })));
    });

    it('a call that would be allowed anyway carries no pause reason', () => {
      const d = screenCall(call(), policy({ paused: true }), rep(10), noHash);
      assert.equal(d.action, 'allow');
      assert.ok(!codes(d).includes('PROTECTION_PAUSED'));
    });

    it('paused in guardian mode labels at the guardian threshold', () => {
      assert.equal(screenCall(call(), policy({ paused: true, guardianMode: true }), rep(20), noHash).action, 'label');
      assert.equal(screenCall(call(), policy({ paused: true }), rep(20), noHash).action, 'allow');
    });
  });
});

describe('compilePolicy', () => {
  it('hashes contacts and pinned businesses in canonical form and keeps no raw identifier', () => {
    const p = compilePolicy({ contacts: ['138 0013 8000', 'Daughter@Example.com'], pinnedBusinesses: ['021 5555 1234'], guardianMode: true }, hash, 'CN');
    assert.deepEqual([...p.contacts].sort(), ['h:+8613800138000', 'h:daughter@example.com']);
    assert.deepEqual([...p.pinnedBusinesses], ['h:+862155551234']);
    assert.equal(p.guardianMode, true);
    assert.equal(p.silenceUnknownVideo, false);
    assert.equal(p.paused, false);
    assert.equal(p.language, 'en');
    const stored = serialisePolicy(compilePolicy({ contacts: ['+8613800138000'] }, (c) => `secret-${c.length}`, 'CN'));
    assert.ok(!stored.includes('13800138000'));
    const round = deserialisePolicy(serialisePolicy(p));
    assert.deepEqual([...round.contacts].sort(), [...p.contacts].sort());
    assert.deepEqual(describePolicy(round), describePolicy(p));
    assert.equal(describePolicy(p).contacts, 2);
  });

  it('refuses a bad or anonymous contact, naming its position', () => {
    assert.throws(() => compilePolicy({ contacts: ['+8613800138000', '12'] }, hash, 'CN'), (e: unknown) => e instanceof CallshieldError && e.code === 'IDENTITY_INVALID_NUMBER' && e.field === 'contacts.1');
    assert.throws(() => compilePolicy({ pinnedBusinesses: ['anonymous'] }, hash, 'CN'), (e: unknown) => e instanceof CallshieldError && e.code === 'IDENTITY_ANONYMOUS_NOT_ALLOWED' && e.field === 'pinnedBusinesses.0');
  });
});
