import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { fileCase, getCase, listCases, MAX_CASE_ITEMS } from '../../../operations/payments/cases.js';
import type { CaseInput } from '../../../operations/payments/cases.js';
import { created, errorResponses, identifierString, ok } from '../schemas.js';
import * as R from './responses.js';
import { accountString, amountNumber, currencyString, idParams, limitQuery } from './schemas.js';

export async function paymentsCaseRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const tags = ['payments'];

  app.post<{ Body: CaseInput }>(
    '/v1/cases',
    {
      config: { permission: 'cases.file' },
      schema: {
        tags,
        summary: "A victim's case after a loss: reaches police, flags the payee accounts, feeds the callers' reputation, and sets each responsible party a task",
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['subscriber', 'callers', 'payeeAccounts', 'amount', 'currency', 'occurredAt'],
          properties: {
            subscriber: identifierString,
            callers: { type: 'array', minItems: 1, maxItems: MAX_CASE_ITEMS, items: identifierString },
            payeeAccounts: {
              type: 'array',
              minItems: 1,
              maxItems: MAX_CASE_ITEMS,
              items: {
                anyOf: [
                  accountString,
                  { type: 'object', additionalProperties: false, required: ['account', 'bank'], properties: { account: accountString, bank: { type: 'string', minLength: 1, maxLength: 100, description: 'The bank organisation name on callshield' } } },
                ],
              },
            },
            amount: amountNumber,
            currency: currencyString,
            occurredAt: { type: 'string', maxLength: 64 },
            description: { type: 'string', maxLength: 2000 },
          },
        },
        response: created(R.postCases201),
      },
    },
    async (request, reply) => reply.code(201).send(await fileCase(ctx, request.body, request.actor)),
  );

  app.get<{ Querystring: { limit?: number } }>(
    '/v1/cases',
    { config: { permission: 'cases.read' }, schema: { tags, summary: 'Victim cases (police and regulators: all; an app: the ones it filed)', querystring: { type: 'object', additionalProperties: false, properties: { ...limitQuery } }, response: ok(R.getCases) } },
    async (request) => ({ cases: await listCases(ctx, request.actor, request.query) }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/cases/:id',
    { config: { permission: 'cases.read' }, schema: { tags, summary: 'One victim case: its tasks, who did what and when, minutes from filing to each step; the filing app also gets a plain-language summary (Accept-Language en or zh)', params: idParams, response: ok(R.getCasesById) } },
    async (request) => getCase(ctx, request.params.id, request.actor, { ...(typeof request.headers['accept-language'] === 'string' ? { acceptLanguage: request.headers['accept-language'] } : {}) }),
  );
}
