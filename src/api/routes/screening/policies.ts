import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { getPolicy, removePolicy, setPolicy } from '../../../operations/screening/policies.js';
import type { PolicyInput } from '../../../screening/index.js';
import { MAX_CONTACTS } from '../../../screening/index.js';
import { errorResponses, identifierString } from '../schemas.js';

const policyBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    contacts: { type: 'array', maxItems: MAX_CONTACTS, items: identifierString, description: 'Always allowed; stored only as keyed hashes' },
    pinnedBusinesses: { type: 'array', maxItems: MAX_CONTACTS, items: identifierString },
    silenceUnknownVideo: { type: 'boolean', description: 'Silence video calls from identifiers that are not contacts (the FaceTime case)' },
    guardianMode: { type: 'boolean', description: 'Stricter thresholds for elderly or vulnerable subscribers' },
    paused: { type: 'boolean', description: 'Let every call ring; labels are still shown' },
    blockWithheld: { type: 'boolean' },
    language: { type: 'string', enum: ['en', 'zh'] },
  },
} as const;

const policyView = {
  type: 'object',
  required: ['contacts', 'pinnedBusinesses', 'silenceUnknownVideo', 'guardianMode', 'paused', 'blockWithheld', 'language'],
  properties: {
    contacts: { type: 'integer' },
    pinnedBusinesses: { type: 'integer' },
    silenceUnknownVideo: { type: 'boolean' },
    guardianMode: { type: 'boolean' },
    paused: { type: 'boolean' },
    blockWithheld: { type: 'boolean' },
    language: { type: 'string' },
  },
} as const;

const params = { type: 'object', properties: { subscriber: { type: 'string', minLength: 1, maxLength: 512 } }, required: ['subscriber'] } as const;

export async function policyRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.put<{ Params: { subscriber: string }; Body: PolicyInput }>(
    '/v1/subscribers/:subscriber/policy',
    { config: { permission: 'policies.write' }, schema: { tags: ['screening'], summary: "Set your organisation's screening policy for a subscriber (registers the subscriber with your app)", params, body: policyBody, response: { 200: policyView, ...errorResponses } } },
    async (request) => setPolicy(ctx, request.params.subscriber, request.body ?? {}, request.actor),
  );
  app.get<{ Params: { subscriber: string } }>(
    '/v1/subscribers/:subscriber/policy',
    { config: { permission: 'policies.read' }, schema: { tags: ['screening'], summary: "Your organisation's policy for a subscriber (contact counts only); another app's policy is 404", params, response: { 200: policyView, ...errorResponses } } },
    async (request) => getPolicy(ctx, request.params.subscriber, request.actor),
  );
  app.delete<{ Params: { subscriber: string } }>(
    '/v1/subscribers/:subscriber/policy',
    {
      config: { permission: 'policies.write' },
      schema: { tags: ['screening'], summary: "Delete your organisation's policy for a subscriber (other apps' policies stay)", params, response: { 200: { type: 'object', properties: { deleted: { type: 'boolean' } } }, ...errorResponses } },
    },
    async (request) => removePolicy(ctx, request.params.subscriber, request.actor),
  );
}
