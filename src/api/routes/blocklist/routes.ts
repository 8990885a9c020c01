import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { blocklistBody, blocklistManifest, signingKeyView } from '../../../operations/blocklist/blocklist.js';
import { csvText, errorResponses, ok } from '../schemas.js';

const entry = {
  type: 'object',
  required: ['identifier', 'category', 'label'],
  properties: { identifier: { type: 'string' }, category: { type: ['string', 'null'] }, label: { type: 'string' } },
} as const;

const fullList = {
  type: 'object',
  required: ['version', 'list', 'entries'],
  properties: { version: { type: 'integer' }, list: { type: 'string', enum: ['block', 'identify'] }, entries: { type: 'array', items: entry } },
} as const;

const delta = {
  type: 'object',
  required: ['version', 'since', 'added', 'removed'],
  description: 'Since a version: apply `removed` (identifiers; with format=ios, digits), then `added` (entries; with format=ios, digits or {number,label})',
  properties: {
    version: { type: 'integer' },
    list: { type: 'string', enum: ['block', 'identify'] },
    since: { type: 'integer' },
    added: { type: 'array', items: { anyOf: [entry, { type: 'string' }, { type: 'object', required: ['number', 'label'], properties: { number: { type: 'string' }, label: { type: 'string' } } }] } },
    removed: { type: 'array', items: { type: 'string' } },
  },
} as const;

const listCounts = { type: 'object', required: ['count', 'digest'], properties: { count: { type: 'integer' }, digest: { type: 'string' } } } as const;

const manifest = {
  type: 'object',
  required: ['version', 'createdAt', 'keyId', 'lists', 'payload', 'signature'],
  properties: {
    version: { type: 'integer' },
    createdAt: { type: 'string' },
    keyId: { type: 'string' },
    lists: { type: 'object', required: ['block', 'identify'], properties: { block: listCounts, identify: listCounts } },
    payload: { type: 'string', description: 'The exact JSON text signed; verify the signature over its UTF-8 bytes, then trust only its fields' },
    signature: { type: 'string', description: 'Ed25519 signature of payload, base64url' },
  },
} as const;

export const signingKey = {
  type: 'object',
  required: ['algorithm', 'keyId', 'publicKey', 'pem'],
  properties: { algorithm: { type: 'string', enum: ['Ed25519'] }, keyId: { type: 'string' }, publicKey: { type: 'string', description: 'The raw 32-byte public key, base64url' }, pem: { type: 'string' } },
} as const;

export async function blocklistRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.get<{ Querystring: { format?: string; since?: number; list?: string } }>(
    '/v1/blocklist',
    {
      config: { permission: 'blocklist.read' },
      schema: {
        tags: ['reputation'],
        summary: 'The versioned block list (block/silence) or identification list (label/warn), whole or as a delta since a version (docs/blocklist.md)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            format: { type: 'string', enum: ['json', 'csv', 'ios'] },
            since: { type: 'integer', minimum: 0 },
            list: { type: 'string', enum: ['block', 'identify'] },
          },
        },
        response: {
          200: {
            description: 'JSON (whole list or delta), CSV, or with format=ios plain text: ascending numbers without "+", one a line (identify: number TAB label); an ios delta is JSON',
            content: { 'application/json': { schema: { anyOf: [fullList, delta] } }, 'text/csv': { schema: csvText }, 'text/plain': { schema: { type: 'string' } } },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const body = await blocklistBody(ctx, request.query);
      reply.header('x-blocklist-version', String(body.version));
      reply.type(body.contentType);
      return reply.send(Readable.from(body.chunks));
    },
  );
  app.get(
    '/v1/blocklist/manifest',
    { config: { permission: 'blocklist.read' }, schema: { tags: ['reputation'], summary: "The newest version's signed manifest: counts and digests of both lists (Ed25519)", response: ok(manifest) } },
    async () => blocklistManifest(ctx),
  );
}

/** The verifier's key needs no API key: anyone may check where a list came from. */
export async function blocklistPublicRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.get(
    '/v1/blocklist/signing-key',
    { schema: { tags: ['reputation'], summary: 'The Ed25519 public key that verifies block-list manifests (no API key needed)', response: ok(signingKey) } },
    async () => signingKeyView(ctx),
  );
}
