import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { CallshieldError } from '../../../errors.js';
import { buildServiceException, handleSigningRequest, handleVerificationRequest } from '../../../stir/index.js';
import { sameCallNumber } from '../../../stir/call-number.js';
import { checkSignerHolder } from '../../../operations/stir/signer-holder.js';
import type { AtisResponse } from '../../../stir/index.js';
import { closeStirRuntime, historyKey, loadStirRuntime, recordOutcome, recordTrace, verifierOf } from '../../../operations/stir/runtime.js';
import type { StirRuntime } from '../../../operations/stir/runtime.js';
import { listSigners, signerFor } from '../../../operations/stir/signers.js';
import { traceback } from '../../../operations/stir/traceback.js';
import type { TracebackQuery } from '../../../operations/stir/traceback.js';
import type { Metrics } from '../../metrics.js';
import { findNul } from '../../text-guard.js';
import { errorResponses } from '../schemas.js';
import * as R from './responses.js';

// STIR/SHAKEN over HTTP: the ATIS-1000082 STI-AS and STI-VS interface, the carriers' configured
// signers, and traceback.
//
// The two ATIS routes have no Ajv body schema on purpose: STI clients expect malformed requests to
// be answered in the ATIS shape (`{"requestError":{"serviceException":{messageId, text,
// variables}}}`, SVC4000-SVC4007) that handleSigningRequest / handleVerificationRequest produce,
// not in problem+json. So these routes take the body as text and let the handlers parse and check
// it. Authentication, authorisation and our own configuration faults (no signer, no trust anchors)
// are still RFC 9457 problems, like on every other route.

type AtisBody = { ok: true; value: unknown } | { ok: false; response: AtisResponse<unknown> };

function readAtisBody(request: FastifyRequest): AtisBody {
  const raw = request.body;
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: undefined };
  // ATIS-1000082: the body is application/json (SVC4004 otherwise).
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return { ok: false, response: buildServiceException('unsupportedContentType', ['application/json']) };
  let value: unknown;
  try {
    value = JSON.parse(String(raw));
  } catch {
    return { ok: false, response: buildServiceException('parseError', ['invalid JSON body']) };
  }
  // A JSON "\u0000" escape decodes to NUL, which PostgreSQL cannot store (origid is kept for traceback).
  const nul = findNul(value);
  if (nul !== undefined) return { ok: false, response: buildServiceException('invalidParameter', [nul || 'body', 'contains a NUL character']) };
  return { ok: true, value };
}

/** ATIS routes answer a malformed request in the ATIS shape, everything else as problem documents. */
const atisResponses = <S extends object>(success: S) => {
  const either = (status: 400 | 415) => ({
    description: `${errorResponses[status].description}: the ATIS requestError shape for a malformed request (SVC4xxx), otherwise a problem document`,
    content: { 'application/json': { schema: R.atisServiceException }, 'application/problem+json': errorResponses[status].content['application/problem+json'] },
  });
  return { ...errorResponses, 200: success, 400: either(400), 415: either(415) } as const;
};

function sendAtis(reply: FastifyReply, response: AtisResponse<unknown>): FastifyReply {
  return reply.code(response.status).type('application/json').send(response.body);
}

const signerView = {
  type: 'object',
  properties: {
    orgName: { type: 'string' },
    spc: { type: 'string' },
    x5u: { type: 'string' },
    notAfter: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const tracedCall = {
  type: 'object',
  properties: {
    origid: { type: 'string' },
    orig: { type: 'string' },
    attest: { type: ['string', 'null'] },
    iat: { type: 'integer' },
    signer: {
      type: 'object',
      properties: {
        spc: { type: ['string', 'null'] },
        orgName: { type: ['string', 'null'] },
        signedAt: { type: ['string', 'null'] },
        x5u: { type: ['string', 'null'] },
        signedHere: { type: 'boolean' },
      },
    },
    holder: {
      type: ['object', 'null'],
      description: 'who holds the calling number in the holder registry, and the SPCs its carrier signs with here (null: not registered)',
      properties: { holder: { type: 'string' }, carrier: { type: 'string' }, spcs: { type: 'array', items: { type: 'string' } } },
    },
    signerIsHolder: { type: ['boolean', 'null'], description: "whether the signer's SPC is the holder carrier's (null: cannot be told)" },
    verifications: {
      type: 'array',
      items: {
        type: 'object',
        properties: { orgName: { type: ['string', 'null'] }, verstat: { type: ['string', 'null'] }, spc: { type: ['string', 'null'] }, verifiedAt: { type: 'string' } },
      },
    },
  },
} as const;

async function atisRoutes(app: FastifyInstance, opts: { ctx: AppContext; rt: StirRuntime }): Promise<void> {
  const { ctx, rt } = opts;
  // Every body reaches the handler as text (see the comment at the top of the file).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post(
    '/stir/v1/signing',
    {
      config: { permission: 'stir.sign' },
      schema: {
        tags: ['stir'],
        summary: "STI-AS (ATIS-1000082): sign a call with the calling carrier's configured key",
        description:
          'Body `{"signingRequest":{"attest":"A|B|C","dest":{"tn":["…"]},"iat":<now>,"orig":{"tn":"…"},"origid":"<uuid, optional>"}}` → 200 ' +
          '`{"signingResponse":{"identity":"<jws>;info=<x5u>;alg=ES256;ppt=shaken"}}`. Malformed requests get the ATIS ' +
          '`requestError.serviceException` shape (SVC4000-SVC4007); no configured signer is a 409 problem STIR_SIGNER_NOT_CONFIGURED.',
        response: atisResponses(R.postSigning),
      },
    },
    async (request, reply) => {
      const signer = await signerFor(ctx, rt, request.actor.orgId);
      if (signer === undefined) {
        throw new CallshieldError('STIR_SIGNER_NOT_CONFIGURED', `no signing key is configured for ${request.actor.orgName}; an operator adds one with \`callshield stir signer add\``);
      }
      const body = readAtisBody(request);
      if (!body.ok) return sendAtis(reply, body.response);
      const out = handleSigningRequest(body.value, signer, ctx.now());
      if (out.trace) recordTrace(ctx, rt, out.trace, request.actor.orgId);
      return sendAtis(reply, out);
    },
  );

  app.post(
    '/stir/v1/verification',
    {
      config: { permission: 'stir.verify' },
      schema: {
        tags: ['stir'],
        summary: 'STI-VS (ATIS-1000082): verify the Identity header of a call',
        description:
          'Body `{"verificationRequest":{"from":{"tn":"…"},"to":{"tn":["…"]},"time":<now>,"identity":"<Identity header value>"}}` → 200 ' +
          '`{"verificationResponse":{"verstat":"TN-Validation-Passed|TN-Validation-Failed|No-TN-Validation","reasoncode"?,"reasontext"?,"reasondesc"?}}`. ' +
          'Malformed requests get the ATIS `requestError.serviceException` shape; no configured trust anchors is a 409 problem STIR_VERIFIER_NOT_CONFIGURED.',
        response: atisResponses(R.postVerification),
      },
    },
    async (request, reply) => {
      const verifier = verifierOf(rt);
      const body = readAtisBody(request);
      if (!body.ok) return sendAtis(reply, body.response);
      const now = ctx.now();
      const out = await handleVerificationRequest(body.value, verifier, now);
      const { result } = out;
      // A stale request `time` (ATIS E3) says nothing about the token, so it is not counted.
      if (out.status === 200 && result !== undefined && !(result.reasonCode === 403 && result.trace === undefined)) {
        const from = (body.value as { verificationRequest: { from: { tn: string } } }).verificationRequest.from.tn;
        // A national-form from.tn is counted under the number the token was checked against.
        const key = result.orig !== undefined && sameCallNumber(result.orig, from, ctx.config.defaultRegion) ? `+${result.orig}` : historyKey(from);
        if (key !== undefined) recordOutcome(ctx, rt, key, checkSignerHolder(ctx, result, key), now);
      }
      if (out.trace) recordTrace(ctx, rt, out.trace, request.actor.orgId);
      return sendAtis(reply, out);
    },
  );
}

export async function stirRoutes(app: FastifyInstance, opts: { ctx: AppContext; metrics: Metrics }): Promise<void> {
  const { ctx } = opts;
  // Reads CALLSHIELD_STIR_CA_FILE and the attestation histories now, before the server listens.
  const rt = await loadStirRuntime(ctx);
  app.addHook('onClose', async () => closeStirRuntime(ctx));
  await app.register(atisRoutes, { ctx, rt });

  app.get(
    '/stir/v1/signers',
    {
      config: { permission: 'stir.signers' },
      schema: {
        tags: ['stir'],
        summary: 'Configured STI-AS signers (a carrier sees its own): SPC, x5u and certificate expiry, never the key',
        querystring: { type: 'object', additionalProperties: false, properties: {} },
        response: { 200: { type: 'object', properties: { signers: { type: 'array', items: signerView } } }, ...errorResponses },
      },
    },
    async (request) => ({ signers: await listSigners(ctx, request.actor) }),
  );

  app.get<{ Querystring: TracebackQuery }>(
    '/stir/v1/traceback',
    {
      config: { permission: 'stir.traceback' },
      schema: {
        tags: ['stir'],
        summary: 'Traceback: the signing carrier and the verifications of a reported call, by origid or by orig/dest/time (audited)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            origid: { type: 'string', minLength: 1, maxLength: 128 },
            orig: { type: 'string', minLength: 1, maxLength: 64 },
            dest: { type: 'string', minLength: 1, maxLength: 64 },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
          },
        },
        response: {
          200: { type: 'object', properties: { query: { type: 'object', additionalProperties: { type: 'string' } }, calls: { type: 'array', items: tracedCall } } },
          ...errorResponses,
        },
      },
    },
    async (request) => traceback(ctx, request.query, request.actor),
  );
}
