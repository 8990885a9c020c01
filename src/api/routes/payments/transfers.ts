import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { checkTransfer, TRANSFER_CHANNELS } from '../../../operations/payments/transfers.js';
import type { TransferCheckInput } from '../../../operations/payments/transfers.js';
import { getHold, listHolds, releaseHold, returnHold } from '../../../operations/payments/holds.js';
import type { Metrics } from '../../metrics.js';
import { errorResponses, ok, reason } from '../schemas.js';
import * as R from './responses.js';
import { accountString, amountNumber, currencyString, idParams, limitQuery, reasonBody } from './schemas.js';

const checkBody = {
  type: 'object',
  additionalProperties: false,
  required: ['payer', 'payeeAccount', 'amount', 'currency', 'channel'],
  properties: {
    payer: { type: 'string', minLength: 1, maxLength: 128, description: "The bank's reference to an enrolled customer" },
    payeeAccount: accountString,
    amount: amountNumber,
    currency: currencyString,
    channel: { type: 'string', enum: [...TRANSFER_CHANNELS] },
  },
} as const;

const checkResponse = {
  type: 'object',
  required: ['checkId', 'decision', 'score', 'reasons'],
  properties: {
    checkId: { type: 'string' },
    decision: { type: 'string', enum: ['allow', 'confirm', 'hold', 'block'] },
    score: { type: 'number' },
    reasons: { type: 'array', items: reason },
    message: { type: 'string' },
    coolingOffSeconds: { type: 'integer' },
    holdId: { type: 'string' },
    holdDeadline: { type: 'string' },
  },
} as const;

export async function paymentsTransferRoutes(app: FastifyInstance, opts: { ctx: AppContext; metrics: Metrics }): Promise<void> {
  const { ctx } = opts;
  const tags = ['payments'];

  app.post<{ Body: TransferCheckInput; Headers: { 'idempotency-key'?: string } }>(
    '/v1/transfers/check',
    {
      config: { permission: 'transfers.check', ownIdempotency: true },
      schema: {
        tags,
        summary: 'Before a transfer leaves: allow, confirm (cooling-off + message), hold (call-back check) or block',
        description: 'Send an Idempotency-Key header: the same key with the same body returns the stored answer; with a different body, 409.',
        body: checkBody,
        response: { 200: checkResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const { response, replayed } = await checkTransfer(ctx, request.body, request.actor, typeof key === 'string' ? key : undefined);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return response;
    },
  );

  app.get<{ Querystring: { status?: string; limit?: number } }>(
    '/v1/holds',
    {
      config: { permission: 'holds.read' },
      schema: {
        tags,
        summary: "Your bank's held transfers (the call-back queue)",
        querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['held', 'released', 'returned'] }, ...limitQuery } },
        response: ok(R.getHolds),
      },
    },
    async (request) => ({ holds: await listHolds(ctx, request.actor, request.query) }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/holds/:id',
    { config: { permission: 'holds.read' }, schema: { tags, summary: 'One hold with every step', params: idParams, response: ok(R.hold) } },
    async (request) => getHold(ctx, request.params.id, request.actor),
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/v1/holds/:id/release',
    { config: { permission: 'holds.decide' }, schema: { tags, summary: 'Release after a call-back check on the known number', params: idParams, body: reasonBody, response: ok(R.hold) } },
    async (request) => releaseHold(ctx, request.params.id, request.body, request.actor),
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/v1/holds/:id/return',
    { config: { permission: 'holds.decide' }, schema: { tags, summary: 'Return the money to the payer', params: idParams, body: reasonBody, response: ok(R.hold) } },
    async (request) => returnHold(ctx, request.params.id, request.body, request.actor),
  );
}
