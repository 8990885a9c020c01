import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { getHistory, getPolicy, removePolicy, setPolicy } from '../../../operations/screening/policies.js';
import type { PolicyInput } from '../../../screening/index.js';
import { MAX_CONTACTS } from '../../../screening/index.js';
import { errorResponses, identifierString, ok, reason } from '../schemas.js';

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
    blockPrefixes: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 16 }, description: 'E.164 prefixes ("+1900"): their callers get blockPrefixAction (reason BLOCK_PREFIX)' },
    blockPrefixAction: { type: 'string', enum: ['block', 'silence'], description: 'What a blocked prefix gets (default block)' },
    allowPrefixes: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 16 }, description: 'E.164 prefixes exempt from blockPrefixes (the longer match wins) and quiet hours (reason ALLOW_PREFIX); reputation still counts' },
    ringRepeatWithinMinutes: { type: 'integer', description: 'A second call from the same number within N minutes rings instead of being silenced (reason RING_REPEAT); 0 = off' },
    quietHours: {
      type: 'object',
      additionalProperties: false,
      required: ['start', 'end', 'timeZone'],
      properties: { start: { type: 'string', description: 'HH:MM' }, end: { type: 'string', description: 'HH:MM (may be past midnight: 22:00-07:00)' }, timeZone: { type: 'string', description: 'IANA time zone, e.g. Europe/Berlin' } },
      description: 'Silence callers who are not contacts in this window, in the subscriber\'s time zone (reason QUIET_HOURS)',
    },
    keepHistory: { type: 'boolean', description: 'Keep the last 1,000 decisions (GET /v1/subscribers/{subscriber}/history); deleted with the policy or when turned off' },
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
    blockPrefixes: { type: 'array', items: { type: 'string' } },
    blockPrefixAction: { type: 'string', enum: ['block', 'silence'] },
    allowPrefixes: { type: 'array', items: { type: 'string' } },
    ringRepeatWithinMinutes: { type: 'integer' },
    quietHours: { type: ['object', 'null'], properties: { start: { type: 'string' }, end: { type: 'string' }, timeZone: { type: 'string' } } },
    keepHistory: { type: 'boolean' },
  },
} as const;

const historyView = {
  type: 'object',
  required: ['keepHistory', 'decisions'],
  properties: {
    keepHistory: { type: 'boolean' },
    decisions: {
      type: 'array',
      description: 'Newest first, at most 1,000',
      items: {
        type: 'object',
        required: ['at', 'caller', 'channel', 'action', 'label', 'reasons'],
        properties: { at: { type: 'string' }, caller: { type: 'string' }, channel: { type: 'string' }, action: { type: 'string' }, label: { type: 'string' }, reasons: { type: 'array', items: reason } },
      },
    },
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
  app.get<{ Params: { subscriber: string } }>(
    '/v1/subscribers/:subscriber/history',
    {
      config: { permission: 'policies.read' },
      schema: { tags: ['screening'], summary: "The last 1,000 decisions your organisation's screening made for a subscriber whose policy has keepHistory, newest first", params, response: ok(historyView) },
    },
    async (request) => getHistory(ctx, request.params.subscriber, request.actor),
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
