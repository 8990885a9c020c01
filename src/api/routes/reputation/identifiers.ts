import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { lookupIdentifier } from '../../../operations/reputation/lookup.js';
import { errorResponses, reputation } from '../schemas.js';

export async function identifierRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.get<{ Params: { identifier: string }; Querystring: { timeline?: string } }>(
    '/v1/identifiers/:identifier',
    {
      config: { permission: 'identifiers.read' },
      schema: {
        tags: ['reputation'],
        summary: 'Reputation of any caller identifier: score, category, confidence, label, reasons',
        params: { type: 'object', properties: { identifier: { type: 'string', minLength: 1, maxLength: 512 } }, required: ['identifier'] },
        querystring: { type: 'object', additionalProperties: false, properties: { timeline: { type: 'string', enum: ['true', 'false', '1', '0'] } } },
        response: { 200: { ...reputation, required: [...reputation.required, 'identifier', 'kind', 'claimedOrganization'], properties: { ...reputation.properties, timeline: { type: 'array', items: { type: 'object', additionalProperties: true } } } }, ...errorResponses },
      },
    },
    async (request) => lookupIdentifier(ctx, request.params.identifier, { timeline: request.query.timeline === 'true' || request.query.timeline === '1' }, request.actor),
  );
}
