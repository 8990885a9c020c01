import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { lookupRange } from '../../../operations/reputation/range.js';
import { ACTIONS } from '../../../screening/index.js';
import { ok } from '../schemas.js';

export const rangeAnswerSchema = {
  type: 'object',
  required: ['prefix', 'entries'],
  properties: {
    prefix: { type: 'string', pattern: '^[0-9a-f]{5}$' },
    entries: {
      type: 'array',
      description: 'Every identifier of the bucket whose action is not allow, and decoys of the same shape, sorted by suffix; at least 32, otherwise a power of two',
      items: {
        type: 'object',
        required: ['suffix', 'action', 'score', 'category', 'label'],
        properties: {
          suffix: { type: 'string', pattern: '^[0-9a-f]{59}$', description: 'The other 59 hex characters of SHA-256 of the canonical identifier' },
          action: { type: 'string', enum: ACTIONS.filter((a) => a !== 'allow') },
          score: { type: 'integer' },
          category: { type: ['string', 'null'] },
          label: { type: 'string' },
        },
      },
    },
  },
} as const;

// The prefix is what the phone is asking about: nothing here logs it (the request log names the
// route pattern, not the URL; see docs/privacy.md and test/integration/range-lookup.test.ts).
export async function rangeRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.get<{ Params: { prefix: string } }>(
    '/v1/lookup/range/:prefix',
    {
      config: { permission: 'lookup.range' },
      schema: {
        tags: ['reputation'],
        summary: 'Private look-up: every listed identifier whose SHA-256 starts with a 5-hex prefix, padded with decoys (docs/privacy.md)',
        params: { type: 'object', properties: { prefix: { type: 'string', minLength: 1, maxLength: 512, description: 'First 5 lower-case hex characters of SHA-256 of the canonical identifier' } }, required: ['prefix'] },
        response: ok(rangeAnswerSchema),
      },
    },
    async (request, reply) => {
      const answer = lookupRange(ctx, request.params.prefix);
      // The answer changes only when the bucket does: phones and proxies may keep it a few minutes.
      reply.header('cache-control', 'private, max-age=300');
      return answer;
    },
  );
}
