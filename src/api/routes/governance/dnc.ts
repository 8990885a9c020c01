import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { CallshieldError } from '../../../errors.js';
import { MAX_SCRUB_NUMBERS, numbersOfCsv, registerDnc, scrubNumbers, withdrawDnc } from '../../../operations/governance/dnc.js';
import type { ScrubInput } from '../../../operations/governance/dnc.js';
import { listConsentsFor, recordConsent, revokeConsent, withdrawConsentByPerson } from '../../../operations/governance/consents.js';
import type { ConsentInput } from '../../../operations/governance/consents.js';
import { created, errorResponses, isCsv, ok, validateEither } from '../schemas.js';
import * as R from './responses.js';
import { phoneString, purposeEnum, reasonList } from './schemas.js';
import { textBody } from '../../text-guard.js';

const numberBody = { type: 'object', additionalProperties: false, required: ['number'], properties: { number: phoneString } } as const;

const scrubBody = {
  type: 'object',
  additionalProperties: false,
  required: ['purpose', 'numbers'],
  properties: {
    purpose: { type: 'string', enum: purposeEnum },
    channel: { type: 'string', enum: ['voice', 'sms', 'video'], description: 'How the numbers will be contacted (default voice): a consent counts only on its own channel' },
    numbers: { type: 'array', maxItems: MAX_SCRUB_NUMBERS, items: { type: 'string', maxLength: 64 } },
    business: { type: 'string', minLength: 1, maxLength: 200 },
    requireConsent: { type: 'boolean' },
  },
} as const;

const scrubQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['purpose'],
  properties: { purpose: { type: 'string', enum: purposeEnum }, channel: { type: 'string', enum: ['voice', 'sms', 'video'] }, business: { type: 'string', minLength: 1, maxLength: 200 }, requireConsent: { type: 'string', enum: ['true', 'false'] } },
} as const;

const scrubResponse = {
  type: 'object',
  required: ['purpose', 'business', 'counts', 'results'],
  properties: {
    purpose: { type: 'string' },
    business: { type: ['string', 'null'] },
    counts: {
      type: 'object',
      properties: { total: { type: 'integer' }, callable: { type: 'integer' }, notCallable: { type: 'integer' }, invalid: { type: 'integer' }, byReason: { type: 'object', additionalProperties: { type: 'integer' } } },
    },
    results: {
      type: 'array',
      items: { type: 'object', properties: { number: { type: 'string' }, e164: { type: 'string' }, callable: { type: 'boolean' }, reasons: reasonList }, required: ['number', 'callable', 'reasons'] },
    },
  },
} as const;

const consentBody = {
  type: 'object',
  additionalProperties: false,
  required: ['number', 'purpose', 'channel', 'grantedAt', 'evidence'],
  properties: {
    number: phoneString,
    business: { type: 'string', minLength: 1, maxLength: 200 },
    purpose: { type: 'string', enum: purposeEnum },
    channel: { type: 'string', enum: ['voice', 'sms', 'video', 'any'] },
    grantedAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time', description: 'Default grantedAt + 1 year; at most grantedAt + 2 years' },
    revokedAt: { type: 'string', format: 'date-time' },
    evidence: { type: 'string', minLength: 1, maxLength: 2000 },
  },
} as const;

export async function governanceDncRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 16 * 1024 * 1024 }, textBody);

  app.post<{ Body: { number: string } }>(
    '/v1/dnc',
    { config: { permission: 'dnc.register' }, schema: { tags: ['governance'], summary: 'Put a number on the do-not-call list (the person, through the app that serves them or their carrier)', body: numberBody, response: created(R.postDnc201) } },
    async (request, reply) => reply.code(201).send(await registerDnc(ctx, request.body, request.actor)),
  );
  app.post<{ Body: { number: string } }>(
    '/v1/dnc/withdraw',
    { config: { permission: 'dnc.register' }, schema: { tags: ['governance'], summary: "Withdraw your organisation's registration of a number (others' stay; an admin withdraws all)", body: numberBody, response: ok(R.postDncWithdraw) } },
    async (request) => withdrawDnc(ctx, request.body, request.actor),
  );
  app.post<{ Body: ScrubInput | string; Querystring: { purpose?: string; channel?: string; business?: string; requireConsent?: string } }>(
    '/v1/dnc/scrub',
    {
      bodyLimit: 16 * 1024 * 1024,
      config: { permission: 'dnc.scrub' },
      schema: {
        tags: ['governance'],
        summary: 'Which numbers may be called for a purpose, and why not (JSON up to 100,000 numbers, or text/csv with purpose in the query)',
        description: 'CSV: one number per line, or a header row with a "number" column. A business scrubs for itself; carriers and admins may name a business or scrub against the list alone.',
        response: { 200: scrubResponse, ...errorResponses },
      },
      preValidation: validateEither(scrubBody, scrubQuery),
    },
    async (request) => {
      let input: ScrubInput;
      if (isCsv(request)) {
        const q = request.query;
        const numbers = numbersOfCsv(request.body as string);
        input = { purpose: q.purpose!, numbers, ...(q.channel ? { channel: q.channel } : {}), ...(q.business ? { business: q.business } : {}), ...(q.requireConsent === 'true' ? { requireConsent: true } : {}) };
      } else if (request.body && typeof request.body === 'object') {
        input = request.body;
      } else {
        throw new CallshieldError('REQUEST_INVALID_BODY', 'send JSON {purpose, numbers} or a text/csv body', { field: 'body' });
      }
      return scrubNumbers(ctx, input, request.actor);
    },
  );

  app.post<{ Body: ConsentInput }>(
    '/v1/consents',
    { config: { permission: 'consents.write' }, schema: { tags: ['governance'], summary: 'Record a person\'s consent to be called by a business for a purpose, with evidence', body: consentBody, response: created(R.postConsents201) } },
    async (request, reply) => reply.code(201).send(await recordConsent(ctx, request.body, request.actor)),
  );
  app.post<{ Body: { number: string; business: string } }>(
    '/v1/consents/withdraw',
    {
      config: { permission: 'consents.withdraw' },
      schema: {
        tags: ['governance'],
        summary: "The person withdraws their consents to a business, through the app that serves them (every purpose and channel)",
        body: { type: 'object', additionalProperties: false, required: ['number', 'business'], properties: { number: phoneString, business: { type: 'string', minLength: 1, maxLength: 200 } } },
        response: ok(R.postConsentsWithdraw),
      },
    },
    async (request) => withdrawConsentByPerson(ctx, request.body, request.actor),
  );
  app.post<{ Params: { id: string }; Body: { revokedAt?: string } }>(
    '/v1/consents/:id/revoke',
    {
      config: { permission: 'consents.write' },
      schema: {
        tags: ['governance'],
        summary: 'The business records that the person withdrew a consent',
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
        body: { type: 'object', additionalProperties: false, properties: { revokedAt: { type: 'string', format: 'date-time' } } },
        response: ok(R.postConsentsByIdRevoke),
      },
    },
    async (request) => revokeConsent(ctx, request.params.id, request.body ?? {}, request.actor),
  );
  app.get<{ Querystring: { number: string } }>(
    '/v1/consents',
    {
      config: { permission: 'consents.read' },
      schema: { tags: ['governance'], summary: 'The consents on record for a number (a business sees its own)', querystring: { type: 'object', additionalProperties: false, required: ['number'], properties: { number: phoneString } }, response: ok(R.getConsents) },
    },
    async (request) => ({ consents: await listConsentsFor(ctx, request.query.number, request.actor) }),
  );
}
