import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { acknowledgeFreeze, approveFreeze, extendFreeze, fileFreeze, getFreeze, listBanks, listFreezes, MAX_FREEZE_ACCOUNTS, releaseFreeze } from '../../../operations/payments/freezes.js';
import type { AcknowledgeInput, FreezeInput } from '../../../operations/payments/freezes.js';
import { MAX_EXTENSION_HOURS } from '../../../payments/index.js';
import { created, errorResponses, ok } from '../schemas.js';
import * as R from './responses.js';
import { accountString, amountNumber, currencyString, idParams, limitQuery, reasonBody } from './schemas.js';

const fileBody = {
  type: 'object',
  additionalProperties: false,
  required: ['caseNumber', 'accounts', 'amount', 'currency', 'legalBasis'],
  properties: {
    caseNumber: { type: 'string', minLength: 1, maxLength: 100 },
    accounts: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_FREEZE_ACCOUNTS,
      items: { type: 'object', additionalProperties: false, required: ['account', 'bank'], properties: { account: accountString, bank: { type: 'string', minLength: 1, maxLength: 100, description: 'The bank organisation name on callshield' } } },
    },
    amount: amountNumber,
    currency: currencyString,
    legalBasis: { type: 'string', minLength: 1, maxLength: 500 },
  },
} as const;

export async function paymentsFreezeRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const tags = ['payments'];

  app.post<{ Body: FreezeInput }>(
    '/v1/freezes',
    { config: { permission: 'freezes.file' }, schema: { tags, summary: 'File an emergency freeze and payment suspension (takes effect when a second officer approves)', body: fileBody, response: created(R.freeze) } },
    async (request, reply) => reply.code(201).send(await fileFreeze(ctx, request.body, request.actor)),
  );

  app.get(
    '/v1/banks',
    { config: { permission: 'freezes.file' }, schema: { tags, summary: 'The bank organisations on callshield (names a freeze may address)', response: ok(R.getBanks) } },
    async () => ({ banks: await listBanks(ctx) }),
  );

  app.get<{ Querystring: { status?: string; limit?: number } }>(
    '/v1/freezes',
    {
      config: { permission: 'freezes.read' },
      schema: {
        tags,
        summary: "Police: your unit's freezes. Banks: active freezes addressed to you (your accounts only). Regulators: all",
        querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['pending', 'active', 'released', 'expired'] }, ...limitQuery } },
        response: ok(R.getFreezes),
      },
    },
    async (request) => ({ freezes: await listFreezes(ctx, request.actor, request.query) }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/freezes/:id',
    { config: { permission: 'freezes.read' }, schema: { tags, summary: 'One freeze as your role may see it', params: idParams, response: ok(R.freeze) } },
    async (request) => getFreeze(ctx, request.params.id, request.actor),
  );

  app.post<{ Params: { id: string } }>(
    '/v1/freezes/:id/approve',
    { config: { permission: 'freezes.file' }, schema: { tags, summary: 'Second officer of the same unit approves (dual control); the banks are notified', params: idParams, response: ok(R.freeze) } },
    async (request) => approveFreeze(ctx, request.params.id, request.actor),
  );

  app.post<{ Params: { id: string }; Body: AcknowledgeInput }>(
    '/v1/freezes/:id/acknowledge',
    {
      config: { permission: 'freezes.acknowledge' },
      schema: {
        tags,
        summary: 'The bank holding an account reports what it froze and whether the money had already left',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['account', 'frozenAmount', 'alreadyLeft'],
          properties: { account: accountString, frozenAmount: { type: 'number' }, alreadyLeft: { type: 'boolean' }, note: { type: 'string', maxLength: 1000 } },
        },
        response: ok(R.freeze),
      },
    },
    async (request) => acknowledgeFreeze(ctx, request.params.id, request.body, request.actor),
  );

  app.post<{ Params: { id: string }; Body: { hours?: number; reason: string } }>(
    '/v1/freezes/:id/extend',
    {
      config: { permission: 'freezes.file' },
      schema: {
        tags,
        summary: 'Extend an active freeze',
        params: idParams,
        body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { hours: { type: 'integer', minimum: 1, maximum: MAX_EXTENSION_HOURS }, reason: { type: 'string', minLength: 1, maxLength: 1000 } } },
        response: ok(R.freeze),
      },
    },
    async (request) => extendFreeze(ctx, request.params.id, request.body, request.actor),
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/v1/freezes/:id/release',
    { config: { permission: 'freezes.file' }, schema: { tags, summary: 'Release (or withdraw) a freeze, with a reason', params: idParams, body: reasonBody, response: ok(R.freeze) } },
    async (request) => releaseFreeze(ctx, request.params.id, request.body, request.actor),
  );
}
