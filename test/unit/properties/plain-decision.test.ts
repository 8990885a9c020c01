// Property tests for the plain-call fast path of screening (issue 17): a decision shared per
// reputation value (plainDecision) and screen()'s short-cut through it must give exactly what the
// general path (screenCall over the whole call) gives, for any reputation, channel, attestation,
// verstat, caller-ID risk, policy and holder; and the fast path must refuse every call it cannot answer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ReputationIndex, CATEGORIES } from '../../../src/reputation/index.js';
import type { Category, HotReputation, Reputation } from '../../../src/reputation/index.js';
import { PolicyBook, compilePolicy, plainDecision, screenCall } from '../../../src/screening/index.js';
import type { Attestation, CallerHolder, CallerIdRisk, Channel, ScreenCall, SubscriberPolicy, Verstat } from '../../../src/screening/index.js';
import type { Identifier } from '../../../src/identity/index.js';
import { screen } from '../../../src/operations/screening/screen.js';
import { createAreaStates } from '../../../src/app-context.js';
import type { AppContext } from '../../../src/app-context.js';
import { loadConfig } from '../../../src/config.js';
import { check } from './check.js';

const hash = (c: string): string => `h:${c}`;
const reputation = fc.record<Reputation>({
  score: fc.integer({ min: 0, max: 100 }),
  category: fc.option(fc.constantFrom<Category>(...CATEGORIES), { nil: null }),
  confidence: fc.integer({ min: 0, max: 15 }).map((x) => x / 15),
  reports: fc.integer({ min: 0, max: 20_000 }),
  confirmed: fc.boolean(),
  claimedOrganization: fc.option(fc.constantFrom('ICBC', 'police', '支付宝客服'), { nil: null, freq: 4 }),
  label: fc.constant(''),
  reasons: fc.constant([]),
});
const channel = fc.constantFrom<Channel>('pstn', 'voip', 'video');
const attestation = fc.constantFrom<Attestation | undefined>(undefined, 'A', 'B', 'C');
const verstat = fc.constantFrom<Verstat | undefined>(undefined, 'TN-Validation-Passed', 'TN-Validation-Failed', 'No-TN-Validation');
// Mostly absent, so that a good share of the calls is plain and reaches the fast path.
const mostlyAbsent = <T,>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: a, weight: 1 });
const risk = mostlyAbsent(
  fc.record<CallerIdRisk>({ delta: fc.integer({ min: -30, max: 30 }), reasons: fc.constant([{ code: 'CALLER_ID_HISTORY', text: 'history' }]), spoofingSuspected: fc.boolean() }),
);
const policies: SubscriberPolicy[] = [
  compilePolicy({}, hash, 'CN'),
  compilePolicy({ guardianMode: true }, hash, 'CN'),
  compilePolicy({ paused: true, language: 'zh' }, hash, 'CN'),
  compilePolicy({ contacts: ['+8613911112222'], blockPrefixes: ['+86139'] }, hash, 'CN'),
];
const policy = mostlyAbsent(fc.constantFrom(...policies));
const holder = fc.constantFrom<CallerHolder | null | undefined>(undefined, undefined, null, { name: 'ICBC', use: 'customer-service', verified: true }, { name: 'X', use: 'marketing', verified: false });
const callerOf = fc.constantFrom<Identifier>(
  { kind: 'phone', canonical: '+8613911112222' },
  { kind: 'phone', canonical: '+8613800138000' },
  { kind: 'phone', canonical: '+12025550123' },
  { kind: 'email', canonical: 'a@example.com' },
  { kind: 'anonymous', canonical: 'anonymous' },
);

/** The reputation as screening gets it: out of an index (shared and frozen unless it has a claimed organisation). */
function fromIndex(r: Reputation | null): HotReputation | undefined {
  if (r === null) return undefined;
  const index = new ReputationIndex();
  index.set('+8613900000001', r);
  return index.get('+8613900000001');
}

describe('plain-call fast path', () => {
  it('plainDecision equals screenCall whenever it answers, and answers every plain call', () => {
    let answered = 0;
    check(
      fc.property(fc.option(reputation, { nil: null }), callerOf, channel, attestation, verstat, risk, policy, holder, (r, caller, ch, att, ver, cr, pol, hold) => {
        const rep = fromIndex(r);
        const call: ScreenCall = { caller, callee: { kind: 'phone', canonical: '+8613911110000' }, channel: ch, attestation: att, verstat: ver, callerIdRisk: cr, at: Date.UTC(2026, 11, 4, 3) };
        const fast = plainDecision(caller.kind, ch, att, ver, cr, pol, hold, rep);
        const plain = caller.kind === 'phone' && ch !== 'video' && att !== 'C' && ver !== 'TN-Validation-Failed' && cr === undefined && pol === undefined && hold === undefined && !rep?.claimedOrganization;
        assert.equal(fast !== undefined, plain, 'answers exactly the plain calls');
        if (fast !== undefined) {
          answered++;
          assert.deepEqual(fast, screenCall(call, pol, rep, hash, hold));
        }
      }),
      3000,
    );
    assert.ok(answered > 50, `the fast path answered ${answered} calls`);
  });

  it('screen() gives the general path\'s result for known, unknown and claimed callers', () => {
    const now = Date.UTC(2026, 11, 4, 3);
    const index = new ReputationIndex();
    const policyBook = new PolicyBook();
    policyBook.set('app', hash('+8613911119999'), policies[1]!);
    const ctx = { config: loadConfig({}, { dbPath: ':memory:' }), index, policies: policyBook, hash, now: () => now, area: createAreaStates() } as unknown as AppContext;
    check(
      fc.property(
        fc.option(reputation, { nil: null }),
        fc.constantFrom('+8613900000002', '13900000002', 'tel:+86-139-0000-0002'),
        fc.constantFrom('+8613911110000', '+8613911119999'),
        fc.constantFrom('carrier', 'app'),
        channel,
        attestation,
        verstat,
        (r, callerText, callee, asker, ch, att, ver) => {
          if (r === null) index.delete('+8613900000002');
          else index.set('+8613900000002', r);
          const input = { caller: callerText, callee, channel: ch, ...(att ? { attestation: att } : {}), ...(ver ? { verstat: ver } : {}) };
          const got = screen(ctx, input, asker);
          const pol = asker === 'app' ? policyBook.forOrg('app')?.get(hash(callee)) : undefined;
          const call: ScreenCall = { caller: { kind: 'phone', canonical: '+8613900000002' }, callee: { kind: 'phone', canonical: callee }, channel: ch, attestation: att, verstat: ver, at: now, repeatCall: false };
          assert.deepEqual(got, { caller: '+8613900000002', callerKind: 'phone', ...screenCall(call, pol, index.get('+8613900000002'), hash, undefined) });
        },
      ),
      2000,
    );
  });
});
