import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { decideBurst, listBursts } from '../../../operations/reputation/bursts.js';
import { errorResponses, ok } from '../schemas.js';
import * as R from './responses.js';

/** The regulator's review queue of bursts of new reporters (docs/scoring.md). */
export async function burstRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.get<{ Querystring: { status?: string } }>(
    '/v1/review/bursts',
    {
      config: { permission: 'bursts.read' },
      schema: {
        tags: ['reports'],
        summary: 'Bursts of new reporters from one organisation on one caller, held out of the score until reviewed',
        querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['pending', 'accepted', 'rejected'] } } },
        response: ok(R.getReviewBursts),
      },
    },
    async (request) => ({ bursts: await listBursts(ctx, request.query) }),
  );
  app.post<{ Params: { id: string }; Body: { decision: 'accepted' | 'rejected'; reason: string } }>(
    '/v1/review/bursts/:id/decision',
    {
      config: { permission: 'bursts.decide' },
      schema: {
        tags: ['reports'],
        summary: 'Accept a burst (its reports count) or reject it (they never count)',
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
        body: { type: 'object', additionalProperties: false, required: ['decision', 'reason'], properties: { decision: { type: 'string', enum: ['accepted', 'rejected'] }, reason: { type: 'string', minLength: 1, maxLength: 2000 } } },
        response: ok(R.postReviewBurstsByIdDecision),
      },
    },
    async (request) => decideBurst(ctx, request.params.id, request.body, request.actor),
  );
}
