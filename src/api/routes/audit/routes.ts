import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { listAudit, verifyAuditLog } from '../../../store/audit/log.js';
import { errorResponses } from '../schemas.js';

export async function auditRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  // Query values arrive as strings and the server does not coerce types (coerceTypes: false), so
  // the numbers are matched as digit strings here and converted below.
  app.get<{ Querystring: { after?: string; limit?: string } }>(
    '/v1/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The append-only, hash-chained audit log',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: { type: 'string', pattern: '^\\d{1,15}$', description: 'entries after this sequence number' },
            limit: { type: 'string', pattern: '^(?:[1-9]\\d{0,2}|1000)$', description: '1-1000 (default 100)' },
          },
        },
        response: errorResponses,
      },
    },
    async (request) => {
      const { after, limit } = request.query;
      return { entries: await listAudit(ctx.db, { ...(after !== undefined ? { after: Number(after) } : {}), ...(limit !== undefined ? { limit: Number(limit) } : {}) }) };
    },
  );
  app.get(
    '/v1/audit/verify',
    { config: { permission: 'audit.read' }, schema: { tags: ['audit'], summary: 'Check every link of the chain; names the first broken one', response: errorResponses } },
    async () => verifyAuditLog(ctx.db),
  );
}
