import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { CallshieldError } from '../../../errors.js';
import { MAX_HOLDER_BLOCKS, lookupHolders, parseHoldersCsv, registerHolders } from '../../../operations/governance/holders.js';
import type { HolderInput } from '../../../operations/governance/holders.js';
import { created, errorResponses, isCsv, ok, validateEither } from '../schemas.js';
import * as R from './responses.js';
import { phoneString } from './schemas.js';
import { textBody } from '../../text-guard.js';

const block = {
  type: 'object',
  additionalProperties: false,
  required: ['holder', 'identityLevel', 'use'],
  properties: {
    holder: { type: 'string', minLength: 1, maxLength: 200 },
    org: { type: 'string', minLength: 1, maxLength: 100, description: 'The business organisation that holds the numbers (its name or id): only it may then appeal their labels' },
    identityLevel: { type: 'string', enum: ['declared', 'documented', 'verified'] },
    use: { type: 'string', enum: ['customer-service', 'marketing', 'notifications'] },
    number: phoneString,
    prefix: { type: 'string', minLength: 2, maxLength: 20 },
    from: phoneString,
    to: phoneString,
  },
} as const;

// A bare JSON array is validated as {blocks: [...]} so both forms name fields the same way ("blocks.3.prefix").
const holdersBody = {
  type: 'object',
  additionalProperties: false,
  required: ['blocks'],
  properties: { blocks: { type: 'array', minItems: 1, maxItems: MAX_HOLDER_BLOCKS, items: block } },
} as const;

const csvQuery = { type: 'object', additionalProperties: false, properties: {} } as const;

export async function governanceHolderRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, textBody);

  app.post<{ Body: HolderInput[] | { blocks: HolderInput[] } | string }>(
    '/v1/holders',
    {
      bodyLimit: 16 * 1024 * 1024,
      config: { permission: 'holders.write' },
      schema: {
        tags: ['governance'],
        summary: 'Register which enterprise holds which number, prefix or range (JSON array, {blocks: [...]}, or text/csv)',
        description: 'Each block: holder, identityLevel (declared | documented | verified), use (customer-service | marketing | notifications) and one of number, prefix, or from + to. CSV header: holder,identityLevel,use,number,prefix,from,to (and optionally org). `org` names the business organisation that holds the numbers; only it may then appeal their labels. A block overlapping another carrier\'s is a 409 conflict.',
        response: created(R.postHolders201),
      },
      preValidation: validateEither(holdersBody, csvQuery, (body) => (Array.isArray(body) ? { blocks: body } : body)),
    },
    async (request, reply) => {
      let blocks: HolderInput[];
      if (isCsv(request)) blocks = parseHoldersCsv(request.body as string);
      else if (Array.isArray(request.body)) blocks = request.body;
      else if (request.body && typeof request.body === 'object' && 'blocks' in request.body) blocks = request.body.blocks;
      else throw new CallshieldError('REQUEST_INVALID_BODY', 'send a JSON array of blocks, {blocks: [...]}, or text/csv', { field: 'body' });
      return reply.code(201).send(await registerHolders(ctx, blocks, request.actor));
    },
  );

  app.get<{ Querystring: { number?: string } }>(
    '/v1/holders',
    {
      config: { permission: 'holders.read' },
      schema: {
        tags: ['governance'],
        summary: 'Who holds a number (?number=), or the blocks your carrier registered (regulators and admins see all)',
        querystring: { type: 'object', additionalProperties: false, properties: { number: phoneString } },
        response: ok(R.getHolders),
      },
    },
    async (request) => lookupHolders(ctx, request.query.number, request.actor),
  );
}
