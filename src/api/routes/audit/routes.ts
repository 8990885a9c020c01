import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { listAudit } from '../../../store/audit/log.js';
import { currentCheckpoint, entryView, proveConsistency, proveInclusion, readEntry } from '../../../operations/audit/log.js';
import { verifyAuditLogOf } from '../../../operations/audit/verify.js';
import { errorResponses, ok } from '../schemas.js';
import * as R from './responses.js';

// Query values arrive as strings and the server does not coerce types (coerceTypes: false), so
// numbers are matched as digit strings here and converted in the handlers.
const count = (description: string) => ({ type: 'string', pattern: '^(?:0|[1-9]\\d{0,14})$', description }) as const;
const positive = (description: string) => ({ type: 'string', pattern: '^[1-9]\\d{0,14}$', description }) as const;

export async function auditRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const tags = ['audit'];
  app.get<{ Querystring: { after?: string; limit?: string } }>(
    '/v1/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags,
        summary: 'The append-only audit log, entry by entry (sequence numbers start at 1; leaf index = seq − 1)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: { type: 'string', pattern: '^\\d{1,15}$', description: 'entries after this sequence number' },
            limit: { type: 'string', pattern: '^(?:[1-9]\\d{0,2}|1000)$', description: '1-1000 (default 100)' },
          },
        },
        response: ok(R.getAudit),
      },
    },
    async (request) => {
      const { after, limit } = request.query;
      const entries = await listAudit(ctx.db, { ...(after !== undefined ? { after: Number(after) } : {}), ...(limit !== undefined ? { limit: Number(limit) } : {}) });
      return { entries: entries.map(entryView) };
    },
  );
  app.get(
    '/v1/audit/verify',
    {
      config: { permission: 'audit.read' },
      schema: { tags, summary: 'Recompute the whole tree and check it against the latest signed checkpoint; names what is wrong (truncated, rewritten, forked, bad signature)', response: ok(R.getAuditVerify) },
    },
    async () => verifyAuditLogOf(ctx),
  );
  app.get(
    '/v1/audit/checkpoint',
    {
      config: { permission: 'audit.witness' },
      schema: {
        tags,
        summary: 'The latest signed checkpoint (c2sp.org/tlog-checkpoint note) with the verifier key; Accept: text/plain gives the note alone',
        response: { 200: { description: 'The checkpoint (JSON), or the note alone with Accept: text/plain', content: { 'application/json': { schema: R.getAuditCheckpoint }, 'text/plain': { schema: { type: 'string' } } } }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const cp = await currentCheckpoint(ctx);
      if ((request.headers.accept ?? '').startsWith('text/plain')) return reply.type('text/plain; charset=utf-8').send(cp.checkpoint);
      return cp;
    },
  );
  app.get<{ Querystring: { index: string; treeSize: string } }>(
    '/v1/audit/proof/inclusion',
    {
      config: { permission: 'audit.entries' },
      schema: {
        tags,
        summary: 'RFC 9162 inclusion proof (hashes base64) of the entry at a leaf index in the tree of treeSize entries; for entries about your organisation',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['index', 'treeSize'],
          properties: { index: count('leaf index, from 0'), treeSize: positive('size of a checkpoint you hold') },
        },
        response: ok(R.getAuditProofInclusion),
      },
    },
    async (request) => proveInclusion(ctx, request.actor, Number(request.query.index), Number(request.query.treeSize)),
  );
  app.get<{ Querystring: { from: string; to: string } }>(
    '/v1/audit/proof/consistency',
    {
      config: { permission: 'audit.witness' },
      schema: {
        tags,
        summary: 'RFC 9162 consistency proof (hashes base64): the tree of `to` entries extends the tree of `from` entries',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'to'],
          properties: { from: positive('size of the older checkpoint'), to: positive('size of the newer checkpoint') },
        },
        response: ok(R.getAuditProofConsistency),
      },
    },
    async (request) => proveConsistency(ctx, Number(request.query.from), Number(request.query.to)),
  );
  app.get<{ Params: { index: string } }>(
    '/v1/audit/entries/:index',
    {
      config: { permission: 'audit.entries' },
      schema: {
        tags,
        summary: 'One entry by leaf index (from 0) with its leaf hash; regulators and admins read any, others those about their organisation',
        params: { type: 'object', required: ['index'], properties: { index: count('leaf index, from 0') } },
        response: ok(R.getAuditEntriesByIndex),
      },
    },
    async (request) => readEntry(ctx, request.actor, Number(request.params.index)),
  );
}
