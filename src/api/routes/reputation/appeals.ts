import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { MAX_APPEAL_LISTINGS, decideAppeal, fileAppeal, getAppeal, listAppeals, listNotices } from '../../../operations/reputation/appeals.js';
import { created, errorResponses, identifierString, ok } from '../schemas.js';
import * as R from './responses.js';

export async function appealRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.post<{ Body: { identifier: string; evidence: string; contact?: string; listings?: string[] } }>(
    '/v1/appeals',
    {
      config: { permission: 'appeals.create' },
      schema: {
        tags: ['appeals'],
        summary: 'A business appeals a label on its number, with evidence',
        description:
          'When the number\'s holder entry names a business organisation, only that organisation (or the carrier that registered it) may appeal: anyone else gets 403 APPEAL_NOT_HOLDER. `listings` names the partner lists (ids from the look-up timeline) the appeal contests: upholding lifts exactly those; crowd evidence is cleared either way.',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['identifier', 'evidence'],
          properties: {
            identifier: identifierString,
            evidence: { type: 'string', minLength: 10, maxLength: 5000 },
            contact: { type: 'string', maxLength: 200 },
            listings: { type: 'array', maxItems: MAX_APPEAL_LISTINGS, items: { type: 'string', format: 'uuid' } },
          },
        },
        response: created(R.postAppeals201),
      },
    },
    async (request, reply) => reply.code(201).send(await fileAppeal(ctx, request.body, request.actor)),
  );
  app.get<{ Querystring: { status?: string } }>(
    '/v1/appeals',
    {
      config: { permission: 'appeals.read' },
      schema: { tags: ['appeals'], summary: 'The appeals queue (a business sees its own)', querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['pending', 'upheld', 'rejected'] } } }, response: ok(R.getAppeals) },
    },
    async (request) => ({ appeals: await listAppeals(ctx, request.actor, request.query.status) }),
  );
  app.get<{ Params: { id: string } }>(
    '/v1/appeals/:id',
    {
      config: { permission: 'appeals.read' },
      schema: {
        tags: ['appeals'],
        summary: 'One appeal; a regulator or admin also sees the appellant, holder match, current score and evidence by source',
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
        response: ok(R.getAppealsById),
      },
    },
    async (request) => getAppeal(ctx, request.params.id, request.actor),
  );
  app.get(
    '/v1/lists/notices',
    {
      config: { permission: 'lists.read' },
      schema: { tags: ['lists'], summary: 'Upheld appeals on numbers your lists hold, and whether your entry was lifted (regulators and admins see all)', response: ok(R.getListsNotices) },
    },
    async (request) => ({ notices: await listNotices(ctx, request.actor) }),
  );
  app.post<{ Params: { id: string }; Body: { decision: 'upheld' | 'rejected'; reason: string } }>(
    '/v1/appeals/:id/decision',
    {
      config: { permission: 'appeals.decide' },
      schema: {
        tags: ['appeals'],
        summary: 'Uphold (clears crowd evidence, lifts the listings the appeal names, tells every list owner) or reject an appeal',
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
        body: { type: 'object', additionalProperties: false, required: ['decision', 'reason'], properties: { decision: { type: 'string', enum: ['upheld', 'rejected'] }, reason: { type: 'string', minLength: 1, maxLength: 2000 } } },
        response: ok(R.postAppealsByIdDecision),
      },
    },
    async (request) => decideAppeal(ctx, request.params.id, request.body, request.actor),
  );
}
