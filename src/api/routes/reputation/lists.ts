import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { CallshieldError } from '../../../errors.js';
import { OVERSEERS } from '../../../auth/index.js';
import { liftListEntry, parseListCsv, uploadList, MAX_LIST_ENTRIES } from '../../../operations/reputation/lists.js';
import type { ListInput } from '../../../operations/reputation/lists.js';
import { listLists } from '../../../store/reputation/lists.js';
import { categoryEnum, created, errorResponses, identifierString, ok, validateEither } from '../schemas.js';
import * as R from './responses.js';
import { textBody } from '../../text-guard.js';

const entry = {
  type: 'object',
  additionalProperties: false,
  required: ['identifier'],
  properties: {
    identifier: identifierString,
    category: { type: 'string', enum: categoryEnum },
    reason: { type: 'string', maxLength: 500 },
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

const listBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'category', 'entries'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    category: { type: 'string', enum: categoryEnum },
    expiresAt: { type: 'string', format: 'date-time' },
    entries: { type: 'array', minItems: 1, maxItems: MAX_LIST_ENTRIES, items: entry },
  },
} as const;

const csvQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'category'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, category: { type: 'string', enum: categoryEnum }, expiresAt: { type: 'string', format: 'date-time' } },
} as const;

export async function listRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, textBody);

  app.post<{ Body: ListInput | string; Querystring: { name?: string; category?: string; expiresAt?: string } }>(
    '/v1/lists',
    {
      config: { permission: 'lists.upload' },
      schema: {
        tags: ['lists'],
        summary: 'Upload a partner list (JSON body, or text/csv with name and category in the query)',
        description: 'CSV columns: identifier[,category][,reason][,expiresAt]. The list weight follows the uploader role: police > regulator > carrier = bank > platform.',
        response: created(R.postLists201),
      },
      // Two body formats: JSON against its schema, CSV's query against its own.
      preValidation: validateEither(listBody, csvQuery),
    },
    async (request, reply) => {
      let input: ListInput;
      if (typeof request.body === 'string') {
        const q = request.query;
        input = { name: q.name!, category: q.category!, ...(q.expiresAt ? { expiresAt: q.expiresAt } : {}), entries: parseListCsv(request.body) };
      } else if (request.body && typeof request.body === 'object') {
        input = request.body;
      } else {
        throw new CallshieldError('REQUEST_INVALID_BODY', 'send a JSON list or a text/csv body', { field: 'body' });
      }
      return reply.code(201).send(await uploadList(ctx, input, request.actor));
    },
  );

  app.get(
    '/v1/lists',
    { config: { permission: 'lists.read' }, schema: { tags: ['lists'], summary: 'Lists uploaded by your organisation (regulators and admins see all)', response: ok(R.getLists) } },
    async (request) => {
      const rows = await listLists(ctx.db, OVERSEERS.includes(request.actor.role) ? undefined : request.actor.orgId);
      return { lists: rows.map((l) => ({ id: l.id, name: l.name, source: l.source, category: l.category, entries: Number(l.entries), createdAt: l.created_at, expiresAt: l.expires_at })) };
    },
  );

  app.delete<{ Params: { id: string; identifier: string } }>(
    '/v1/lists/:id/entries/:identifier',
    {
      config: { permission: 'lists.upload' },
      schema: {
        tags: ['lists'],
        summary: 'Lift one entry of a list your organisation uploaded: it no longer counts (nobody else can lift it)',
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, identifier: { type: 'string', minLength: 1, maxLength: 512 } }, required: ['id', 'identifier'] },
        response: ok(R.deleteListsByIdEntriesByIdentifier),
      },
    },
    async (request) => liftListEntry(ctx, request.params.id, request.params.identifier, request.actor),
  );
}
