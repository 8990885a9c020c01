import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { getWebhook, listDeliveries, setWebhook } from '../../../operations/payments/webhooks.js';
import { errorResponses, ok } from '../schemas.js';
import * as R from './responses.js';
import { limitQuery } from './schemas.js';

export async function paymentsWebhookRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const tags = ['webhooks'];

  app.put<{ Body: { url: string; secret?: string; events?: string[] } }>(
    '/v1/webhooks',
    {
      config: { permission: 'webhooks.manage' },
      schema: {
        tags,
        summary: "Register your organisation's webhook; the signing secret is returned once (X-Callshield-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"t.body\">)",
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['url'],
          properties: {
            url: { type: 'string', minLength: 1, maxLength: 2000 },
            secret: { type: 'string', minLength: 1, maxLength: 200 },
            events: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 100 }, description: 'broadcast events to subscribe to: "audit.checkpoint" (witness the audit log)' },
          },
        },
        response: ok(R.putWebhooks),
      },
    },
    async (request) => setWebhook(ctx, request.body, request.actor),
  );

  app.get(
    '/v1/webhooks',
    { config: { permission: 'webhooks.manage' }, schema: { tags, summary: 'Your webhook URL (never the secret)', response: ok(R.getWebhooks) } },
    async (request) => getWebhook(ctx, request.actor),
  );

  app.get<{ Querystring: { status?: string; limit?: number } }>(
    '/v1/webhooks/deliveries',
    {
      config: { permission: 'webhooks.manage' },
      schema: {
        tags,
        summary: 'The delivery log of events sent to you, with every attempt',
        querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['pending', 'delivered', 'dead'] }, ...limitQuery } },
        response: ok(R.getWebhooksDeliveries),
      },
    },
    async (request) => ({ deliveries: await listDeliveries(ctx, request.actor, request.query) }),
  );
}
