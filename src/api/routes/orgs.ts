import type { FastifyInstance } from 'fastify';
import { getOrgSettings, setOrgSettings } from '../../operations/org-settings.js';
import type { AppContext } from '../../app-context.js';
import { ROLES } from '../../auth/index.js';
import { createApiKey, listKeys, revokeKey, rotateKey } from '../../operations/keys.js';
import { listOrgs } from '../../store/orgs.js';
import { created, errorResponses, ok } from './schemas.js';
import * as R from './orgs-responses.js';

const expires = { type: 'string', minLength: 1, maxLength: 40, description: 'when the key stops working: an ISO date (valid through that day, UTC), an ISO date and time with its zone, or a duration such as 90d, 12h, 30m' } as const;
// Revoke and rotate take an optional body: a bare POST is the same as `{}`.
const emptyBodyIsAnObject = async (request: { body: unknown }): Promise<void> => {
  if (request.body === undefined || request.body === null) request.body = {};
};
const keyIdParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;

export async function orgRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.post<{ Body: { org: string; role: string; label?: string; person?: string; expires?: string } }>(
    '/v1/keys',
    {
      config: { permission: 'orgs.manage', secretResponse: true },
      schema: {
        tags: ['admin'],
        summary: 'Create an API key (and the organisation on first use). The key is in the response once and never again.',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['org', 'role'],
          properties: {
            org: { type: 'string', minLength: 1, maxLength: 100 },
            role: { type: 'string', enum: [...ROLES] },
            label: { type: 'string', maxLength: 100 },
            person: { type: 'string', minLength: 1, maxLength: 64, description: 'who holds the key: a staff or badge number (required for police, bank and regulator keys), or a system name' },
            expires,
          },
        },
        response: created(R.postKeys201),
      },
    },
    async (request, reply) => {
      const k = await createApiKey(ctx, request.body, request.actor);
      return reply.code(201).send({ org: k.org, keyId: k.keyId, person: k.person, expiresAt: k.expiresAt, key: k.key });
    },
  );
  app.get<{ Querystring: { org?: string; limit?: number } }>(
    '/v1/keys',
    {
      config: { permission: 'orgs.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Every key: organisation, role, person, label, prefix, created, expires, last used (to the minute), revoked, replaced by, status',
        querystring: { type: 'object', additionalProperties: false, properties: { org: { type: 'string', minLength: 1, maxLength: 100 }, limit: { type: 'integer', minimum: 1, maximum: 10000 } } },
        response: ok(R.getKeys),
      },
    },
    async (request) => ({ keys: await listKeys(ctx, request.query) }),
  );
  app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>(
    '/v1/keys/:id/revoke',
    {
      config: { permission: 'keys.revoke' },
      preValidation: emptyBodyIsAnObject,
      schema: {
        tags: ['admin'],
        summary: 'Revoke a key: refused on every node within about a second. An admin revokes any key; any other key only itself (e.g. when it leaked)',
        params: keyIdParams,
        body: { type: 'object', additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } } },
        response: ok(R.postKeysByIdRevoke),
      },
    },
    async (request) => revokeKey(ctx, request.params.id, request.body ?? {}, request.actor),
  );
  app.post<{ Params: { id: string }; Body: { grace?: string; expires?: string; person?: string } | undefined }>(
    '/v1/keys/:id/rotate',
    {
      config: { permission: 'orgs.manage', secretResponse: true },
      preValidation: emptyBodyIsAnObject,
      schema: {
        tags: ['admin'],
        summary: 'Rotate a key: a new key for the same organisation, role and person (in the response once); the old key works for the grace period (default 24h) and is then refused',
        params: keyIdParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            grace: { type: 'string', minLength: 1, maxLength: 10, description: 'how long the old key keeps working: 24h (default), 30m, 7d; 0 ends it at once; at most 30d' },
            expires,
            person: { type: 'string', minLength: 1, maxLength: 64, description: 'only for keys made before people were recorded' },
          },
        },
        response: created(R.postKeysByIdRotate201),
      },
    },
    async (request, reply) => {
      const k = await rotateKey(ctx, request.params.id, request.body ?? {}, request.actor);
      return reply.code(201).send({ org: k.org, keyId: k.keyId, person: k.person, expiresAt: k.expiresAt, replaces: k.replaces, oldKeyExpiresAt: k.oldKeyExpiresAt, key: k.key });
    },
  );
  app.get('/v1/orgs', { config: { permission: 'orgs.manage' }, schema: { tags: ['admin'], summary: 'Organisations and their key counts', response: ok(R.getOrgs) } }, async () => ({ orgs: await listOrgs(ctx.db) }));
  app.get<{ Querystring: { org?: string } }>(
    '/v1/org/settings',
    {
      config: { permission: 'identifiers.read' },
      schema: {
        tags: ['admin'],
        summary: "Your organisation's settings (an admin may name another organisation)",
        querystring: { type: 'object', additionalProperties: false, properties: { org: { type: 'string', minLength: 1, maxLength: 200 } } },
        response: ok(R.orgSettings),
      },
    },
    async (request) => getOrgSettings(ctx, request.actor, request.query.org),
  );
  app.put<{ Body: { language: string; org?: string } }>(
    '/v1/org/settings',
    {
      config: { permission: 'webhooks.manage' },
      schema: {
        tags: ['admin'],
        summary: "Set your organisation's settings: the language of its webhook events (en, zh-CN, zh-TW); an admin may name another organisation",
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['language'],
          properties: { language: { type: 'string', enum: ['en', 'zh-CN', 'zh-TW'] }, org: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        response: ok(R.orgSettings),
      },
    },
    async (request) => setOrgSettings(ctx, request.body, request.actor),
  );
  app.get('/v1/me', { config: { permission: 'identifiers.read' }, schema: { tags: ['admin'], summary: 'Who this key belongs to (used by the console to show what a role may do)', response: ok(R.getMe) } }, async (request) => ({
    org: request.actor.orgName,
    role: request.actor.role,
    person: request.actor.person,
    keyId: request.actor.keyId,
  }));
}
