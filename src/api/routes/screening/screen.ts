import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { CallshieldError, isCallshieldError } from '../../../errors.js';
import { screen } from '../../../operations/screening/screen.js';
import type { ScreenInput, ScreenResult } from '../../../operations/screening/screen.js';
import { screenWithIdentity } from '../../../operations/stir/screen-verified.js';
import type { Metrics } from '../../metrics.js';
import { toProblem } from '../../problem.js';
import { answerIdempotently } from '../../idempotency.js';
import { inReadersLanguage } from '../../locale.js';
import { channelEnum, errorResponses, identifierString, ok, reason } from '../schemas.js';
import * as R from './responses.js';

export const MAX_BATCH = 1000;

const call = {
  type: 'object',
  additionalProperties: false,
  required: ['caller', 'callee', 'channel'],
  properties: {
    caller: { ...identifierString, description: 'E.164 or national number, e-mail, sip: URI, account:<platform>:<id>, or "anonymous"' },
    callee: identifierString,
    channel: { type: 'string', enum: channelEnum },
    attestation: { type: 'string', enum: ['A', 'B', 'C'] },
    verstat: { type: 'string', enum: ['TN-Validation-Passed', 'TN-Validation-Failed', 'No-TN-Validation'] },
    at: { type: 'string', format: 'date-time' },
  },
} as const;

// One call may also carry its SIP Identity header(s) for us to verify (STIR/SHAKEN); the batch does
// not (verifying may fetch a certificate, and the batch stays synchronous).
const identityHeader = { type: 'string', minLength: 1, maxLength: 8192 } as const;
export const singleCall = {
  ...call,
  properties: {
    ...call.properties,
    identity: {
      description: 'SIP Identity header value(s) (RFC 8224), instead of attestation/verstat: callshield verifies it',
      anyOf: [identityHeader, { type: 'array', minItems: 1, maxItems: 8, items: identityHeader }],
    },
    callId: {
      type: 'string',
      minLength: 1,
      maxLength: 256,
      description: "the call's SIP Call-ID, with identity: the same PASSporT on another Call-ID within its freshness window is a replay (STIR_REPLAYED)",
    },
  },
} as const;

const verification = {
  type: 'object',
  properties: {
    verstat: { type: 'string' },
    reasonCode: { type: 'integer' },
    reasonText: { type: 'string' },
    reasonDesc: { type: 'string', description: 'which check failed, in words (e.g. which x5u failure)' },
    failure: { type: 'string', description: 'the catalogued error code of the failed check, e.g. STIR_CERT_URL_TIMEOUT' },
    attest: { type: 'string' },
    origid: { type: 'string' },
    spc: { type: 'string' },
    div: {
      type: 'object',
      description: 'div PASSporTs of a forwarded call (RFC 8946): the hops that linked the signed dest to the called number',
      properties: {
        verstat: { type: 'string' },
        reasonCode: { type: 'integer' },
        reasonText: { type: 'string' },
        reasonDesc: { type: 'string' },
        hops: { type: 'array', items: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'array', items: { type: 'string' } } } } },
      },
    },
    rcd: {
      type: 'object',
      description: 'Rich Call Data (RFC 9795) of a PASSporT that passed: the signed caller name, and whether it may be shown',
      properties: {
        nam: { type: 'string' },
        crn: { type: 'string' },
        verified: { type: 'boolean' },
        reason: { type: 'string' },
        unchecked: { type: 'array', items: { type: 'string' } },
      },
    },
  },
} as const;

export const decision = {
  type: 'object',
  properties: {
    action: { type: 'string', enum: ['allow', 'label', 'warn', 'silence', 'block'] },
    score: { type: 'integer' },
    category: { type: ['string', 'null'] },
    label: { type: 'string' },
    reasons: { type: 'array', items: reason },
    advice: { type: 'string' },
    verifiedCaller: { type: 'string' },
    caller: { type: 'string' },
    callerKind: { type: 'string' },
    verification,
  },
  required: ['action', 'score', 'category', 'label', 'reasons'],
} as const;

export async function screenRoutes(app: FastifyInstance, opts: { ctx: AppContext; metrics: Metrics }): Promise<void> {
  const { ctx, metrics } = opts;
  app.post<{ Body: ScreenInput }>(
    '/v1/screen',
    {
      // The hot path: fast-json-stringify from `decision`, which lists every field a decision has
      // (test/integration/contract.test.ts checks the reply equals the operation's result). It
      // renders its reply in the reader's language and answers Idempotency-Key itself, so that a
      // request runs only the authentication and metrics hooks (issue 17, BENCHMARKS.md).
      config: { permission: 'screen', fastSerialize: true, localisesItself: true, inlineIdempotency: true },
      schema: { tags: ['screening'], summary: 'Decide what to do with one incoming call', body: singleCall, response: { 200: decision, ...errorResponses } },
    },
    async (request, reply) =>
      answerIdempotently(ctx, request, reply, () => {
        const { body } = request;
        // Only a call with an Identity header waits (on a certificate's first fetch); the rest stays synchronous.
        if (body.identity !== undefined) return screenWithIdentity(ctx, { ...body, identity: body.identity }, request.actor).then(answer);
        return answer(screen(ctx, body, request.actor.orgId));
        function answer<T extends ScreenResult>(result: T): T {
          metrics.countDecision(result.action, body.channel);
          return inReadersLanguage(request, result);
        }
      }),
  );

  app.post<{ Body: { calls: ScreenInput[] } }>(
    '/v1/screen/batch',
    {
      config: { permission: 'screen.batch' },
      schema: {
        tags: ['screening'],
        summary: `Screen up to ${MAX_BATCH} calls at once (carriers)`,
        body: { type: 'object', additionalProperties: false, required: ['calls'], properties: { calls: { type: 'array', minItems: 1, items: call } } },
        response: ok(R.postScreenBatch),
      },
    },
    async (request) => {
      const { calls } = request.body;
      if (calls.length > MAX_BATCH) {
        throw new CallshieldError('SCREENING_BATCH_TOO_LARGE', `a batch holds at most ${MAX_BATCH} calls, got ${calls.length}`, { field: 'calls' });
      }
      // One bad call does not sink the batch: it gets its own problem document in its slot.
      const results = calls.map((c, i) => {
        try {
          const r = screen(ctx, c, request.actor.orgId, `calls.${i}.`);
          metrics.countDecision(r.action, c.channel);
          return r;
        } catch (err) {
          if (!isCallshieldError(err)) throw err;
          return { error: toProblem(err, request) };
        }
      });
      return { results };
    },
  );
}
