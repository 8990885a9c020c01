import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { decideAppeal, fileAppeal, listAppeals } from '../../../operations/reputation/appeals.js';
import { errorResponses, identifierString } from '../schemas.js';

export async function appealRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.post<{ Body: { identifier: string; evidence: string; contact?: string } }>(
    '/v1/appeals',
    {
      config: { permission: 'appeals.create' },
      schema: {
        tags: ['appeals'],
        summary: 'A business appeals a label on its number, with evidence',
        body: { type: 'object', additionalProperties: false, required: ['identifier', 'evidence'], properties: { identifier: identifierString, evidence: { type: 'string', minLength: 10, maxLength: 5000 }, contact: { type: 'string', maxLength: 200 } } },
        response: errorResponses,
      },
    },
    async (request, reply) => reply.code(201).send(await fileAppeal(ctx, request.body, request.actor)),
  );
  app.get<{ Querystring: { status?: string } }>(
    '/v1/appeals',
    {
      config: { permission: 'appeals.read' },
      schema: { tags: ['appeals'], summary: 'The appeals queue (a business sees its own)', querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['pending', 'upheld', 'rejected'] } } }, response: errorResponses },
    },
    async (request) => ({ appeals: await listAppeals(ctx, request.actor, request.query.status) }),
  );
  app.post<{ Params: { id: string }; Body: { decision: 'upheld' | 'rejected'; reason: string } }>(
    '/v1/appeals/:id/decision',
    {
      config: { permission: 'appeals.decide' },
      schema: {
        tags: ['appeals'],
        summary: 'Uphold (clears the label) or reject an appeal',
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
        body: { type: 'object', additionalProperties: false, required: ['decision', 'reason'], properties: { decision: { type: 'string', enum: ['upheld', 'rejected'] }, reason: { type: 'string', minLength: 1, maxLength: 2000 } } },
        response: errorResponses,
      },
    },
    async (request) => decideAppeal(ctx, request.params.id, request.body, request.actor),
  );
}
