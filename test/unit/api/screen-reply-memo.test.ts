// The screening fast path's memoised reply (src/api/screen-reply-memo.ts) must be byte for byte what
// the route's own serialiser writes, for every result: shared decisions with any caller, decisions
// whose fields change under the same reasons array, and results the memo must leave alone.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import fc from 'fast-check';
import { decision } from '../../../src/api/routes/screening/screen.js';
import { memoisedReply } from '../../../src/api/screen-reply-memo.js';
import type { ScreenResult } from '../../../src/operations/screening/screen.js';
import { localise } from '../../../src/i18n/render.js';

async function routeSerialiser(): Promise<(d: unknown) => string> {
  // The serialiser compiler fastify gives a route with this response schema, as the fast path takes it.
  const app = Fastify();
  app.post('/v1/screen', { schema: { response: { 200: decision } } }, async () => ({}));
  await app.ready();
  const serialize = app.serializerCompiler!({ schema: decision, method: 'POST', url: '/v1/screen', httpStatus: '200' }) as (d: unknown) => string;
  await app.close();
  return serialize;
}

// Strings with what JSON must escape: quotes, backslashes, control characters, lone surrogates, CJK.
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('', '"', '\\', '\u0000', '\ud800', '骚扰电话 "quoted"', 'a'.repeat(50) + '\n'));
const reasons = fc.array(fc.record({ code: fc.constantFrom('REPUTATION', 'CROWD_REPORTS', 'HONEYPOT'), text }), { maxLength: 4 }).map((rs) => Object.freeze(rs.map((r) => Object.freeze(r))));
const shared = fc.record(
  {
    action: fc.constantFrom('allow', 'label', 'warn', 'silence', 'block'),
    score: fc.integer({ min: 0, max: 100 }),
    category: fc.option(fc.constantFrom('fraud', 'robocall', 'telemarketing'), { nil: null }),
    label: text,
    advice: text,
  },
  { requiredKeys: ['action', 'score', 'category', 'label'] },
);

describe('memoised screening reply', () => {
  it('equals the route serialiser for many callers of each shared decision, and when a field changes under the same reasons', async () => {
    const serialize = await routeSerialiser();
    const reply = memoisedReply(serialize);
    fc.assert(
      fc.property(reasons, fc.array(fc.tuple(shared, text, fc.constantFrom('phone', 'email', 'account', 'anonymous')), { minLength: 1, maxLength: 8 }), (rs, calls) => {
        for (const [d, caller, callerKind] of calls) {
          const result = { ...d, reasons: rs, caller, callerKind } as unknown as ScreenResult;
          assert.equal(reply(result), serialize(result));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('leaves to the serialiser a verified caller, a verification and reasons that are not frozen', async () => {
    const serialize = await routeSerialiser();
    const reply = memoisedReply(serialize);
    const rs = Object.freeze([Object.freeze({ code: 'REPUTATION', text: 'Risk score 90/100' })]);
    const base = { action: 'block', score: 90, category: 'fraud', label: 'Scam likely', reasons: rs, caller: '+8613900004242', callerKind: 'phone' };
    const plain = reply(base as unknown as ScreenResult);
    const verified = { ...base, verifiedCaller: 'Bank of Example' };
    assert.equal(reply(verified as unknown as ScreenResult), serialize(verified));
    assert.match(reply(verified as unknown as ScreenResult), /"verifiedCaller":"Bank of Example"/);
    const open = { ...base, reasons: [{ code: 'REPUTATION', text: 'changed' }] };
    assert.equal(reply(open as unknown as ScreenResult), serialize(open));
    assert.equal(reply(base as unknown as ScreenResult), plain);
  });

  it('serialises a shared decision once, in English and rendered in Chinese alike', async () => {
    const serialize = await routeSerialiser();
    let calls = 0;
    const reply = memoisedReply((d) => (calls++, serialize(d)));
    const rs = Object.freeze([Object.freeze({ code: 'REPUTATION', text: 'Risk score 90/100: Likely fraud' })]);
    const decision = { action: 'block', score: 90, category: 'fraud', label: 'Likely fraud', reasons: rs };
    for (const locale of ['en', 'zh-CN'] as const) {
      calls = 0;
      for (let i = 0; i < 5; i++) {
        const result = localise({ ...decision, caller: `+861390000424${i}`, callerKind: 'phone' }, locale) as unknown as ScreenResult;
        assert.equal(reply(result), serialize(result));
      }
      // Once for the head; the equality checks above call `serialize` directly, not through the memo.
      assert.equal(calls, 1, `${locale}: the head is serialised once`);
    }
    assert.match(reply(localise({ ...decision, caller: '+8613900004242', callerKind: 'phone' }, 'zh-CN') as unknown as ScreenResult), /[\u4e00-\u9fff]/);
  });
});
