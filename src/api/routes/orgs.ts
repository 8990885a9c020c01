import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { ROLES } from '../../auth/index.js';
import { createApiKey } from '../../operations/keys.js';
import { listOrgs } from '../../store/orgs.js';
import { errorResponses } from './schemas.js';

export async function orgRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.post<{ Body: { org: string; role: string; label?: string; person?: string } }>(
    '/v1/keys',
    {
      config: { permission: 'orgs.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Create an API key (and the organisation on first use). The key is in the response once and never again.',
        body: { type: 'object', additionalProperties: false, required: ['org', 'role'], properties: { org: { type: 'string', minLength: 1, maxLength: 100 }, role: { type: 'string', enum: [...ROLES] }, label: { type: 'string', maxLength: 100 }, person: { type: 'string', minLength: 1, maxLength: 64, description: 'who holds the key: a staff or badge number (required for police, bank and regulator keys), or a system name' } } },
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const k = await createApiKey(ctx, request.body, request.actor);
      return reply.code(201).send({ org: k.org, keyId: k.keyId, person: k.person, key: k.key });
    },
  );
  app.get('/v1/orgs', { config: { permission: 'orgs.manage' }, schema: { tags: ['admin'], summary: 'Organisations and their key counts', response: errorResponses } }, async () => ({ orgs: await listOrgs(ctx.db) }));
  app.get('/v1/me', { config: { permission: 'identifiers.read' }, schema: { tags: ['admin'], summary: 'Who this key belongs to (used by the console to show what a role may do)' } }, async (request) => ({
    org: request.actor.orgName,
    role: request.actor.role,
    person: request.actor.person,
  }));
}
