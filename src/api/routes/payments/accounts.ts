import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { addFlag, checkAccount, listFlags, reportSafeAccount, revokeFlag } from '../../../operations/payments/flags.js';
import type { FlagInput, SafeAccountReport } from '../../../operations/payments/flags.js';
import { enrolPayer, unenrolPayer } from '../../../operations/payments/transfers.js';
import { created, errorResponses, identifierString, ok } from '../schemas.js';
import * as R from './responses.js';
import { accountString, idParams, limitQuery, reasonBody } from './schemas.js';

export async function paymentsAccountRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const tags = ['payments'];

  app.post<{ Body: FlagInput }>(
    '/v1/accounts/flags',
    {
      config: { permission: 'payees.flag' },
      schema: {
        tags,
        summary: 'Flag a payee account: police → confirmed mule (blocks), bank → suspected (holds)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['account', 'evidence'],
          properties: { account: accountString, evidence: { type: 'string', maxLength: 2000 }, caller: identifierString, expiresAt: { type: 'string', format: 'date-time' } },
        },
        response: created(R.flag),
      },
    },
    async (request, reply) => reply.code(201).send(await addFlag(ctx, request.body, request.actor)),
  );

  app.get<{ Querystring: { account?: string; limit?: number } }>(
    '/v1/accounts/flags',
    {
      config: { permission: 'payees.read' },
      schema: {
        tags,
        summary: 'Flagged accounts you may see (police, regulators: all; a bank: its own and police-confirmed)',
        querystring: { type: 'object', additionalProperties: false, properties: { account: accountString, ...limitQuery } },
        response: ok(R.getAccountsFlags),
      },
    },
    async (request) => ({ flags: await listFlags(ctx, request.actor, request.query) }),
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/v1/accounts/flags/:id/revoke',
    { config: { permission: 'payees.flag' }, schema: { tags, summary: 'Take back a flag your organisation added', params: idParams, body: reasonBody, response: ok(R.flag) } },
    async (request) => revokeFlag(ctx, request.params.id, request.body, request.actor),
  );

  app.post<{ Body: { account: string } }>(
    '/v1/accounts/check',
    {
      config: { permission: 'payees.check' },
      schema: { tags, summary: 'Is this account flagged? (level only, no evidence)', body: { type: 'object', additionalProperties: false, required: ['account'], properties: { account: accountString } }, response: ok(R.postAccountsCheck) },
    },
    async (request) => checkAccount(ctx, request.body),
  );

  app.post<{ Body: SafeAccountReport }>(
    '/v1/accounts/reports',
    {
      config: { permission: 'payees.report' },
      schema: {
        tags,
        summary: 'A subscriber reports the "certified safe account" a caller gave them; feeds the caller\'s reputation',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['reporter', 'account', 'caller'],
          properties: { reporter: { type: 'string', minLength: 1, maxLength: 128 }, account: accountString, caller: identifierString, comment: { type: 'string', maxLength: 500 } },
        },
        response: created(R.postAccountsReports201),
      },
    },
    async (request, reply) => reply.code(201).send(await reportSafeAccount(ctx, request.body, request.actor)),
  );

  app.post<{ Body: { payer: string; subscriber: string } }>(
    '/v1/payers',
    {
      config: { permission: 'payers.enrol' },
      schema: {
        tags,
        summary: "Link your customer reference to the subscriber identifier they enrolled with (both stored only as keyed hashes)",
        body: { type: 'object', additionalProperties: false, required: ['payer', 'subscriber'], properties: { payer: { type: 'string', minLength: 1, maxLength: 128 }, subscriber: identifierString } },
        response: created(R.payerEnrolment),
      },
    },
    async (request, reply) => reply.code(201).send(await enrolPayer(ctx, request.body, request.actor)),
  );

  app.delete<{ Params: { payer: string } }>(
    '/v1/payers/:payer',
    {
      config: { permission: 'payers.enrol' },
      schema: { tags, summary: 'Remove an enrolment', params: { type: 'object', additionalProperties: false, required: ['payer'], properties: { payer: { type: 'string', minLength: 1, maxLength: 128 } } }, response: ok(R.payerEnrolment) },
    },
    async (request) => unenrolPayer(ctx, request.params.payer, request.actor),
  );
}
