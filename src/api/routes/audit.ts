import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { listAudit, verifyAuditLog } from '../../store/audit-log.js';
import { errorResponses } from './schemas.js';

export async function auditRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.get<{ Querystring: { after?: number; limit?: number } }>(
    '/v1/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The append-only, hash-chained audit log',
        querystring: { type: 'object', additionalProperties: false, properties: { after: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1, maximum: 1000 } } },
        response: errorResponses,
      },
    },
    async (request) => ({ entries: await listAudit(ctx.db, request.query) }),
  );
  app.get(
    '/v1/audit/verify',
    { config: { permission: 'audit.read' }, schema: { tags: ['audit'], summary: 'Check every link of the chain; names the first broken one', response: errorResponses } },
    async () => verifyAuditLog(ctx.db),
  );
}
