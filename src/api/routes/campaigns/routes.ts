import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { addTranscript, listHoneypots, loadHoneypots, registerHoneypots, removeHoneypot } from '../../../operations/campaigns/honeypots.js';
import type { TranscriptInput } from '../../../operations/campaigns/honeypots.js';
import { campaignDetail, campaignsList } from '../../../operations/campaigns/campaigns.js';
import { created, ok } from '../schemas.js';
import * as R from './responses.js';

/** Honeypot lines and campaigns (issue 15). Registering loads the lines, so screening checks them from memory. */
export async function campaignRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  await loadHoneypots(ctx);
  app.post<{ Body: { numbers: unknown } }>(
    '/v1/honeypots',
    {
      config: { permission: 'honeypots.write' },
      schema: {
        tags: ['campaigns'],
        summary: 'Register honeypot lines (numbers nobody legitimately calls): any call record or screened call to one is evidence against the caller (reason HONEYPOT)',
        description: 'The lines are the registering organisation\'s; numbers on the do-not-call list or held through another carrier are refused (HONEYPOT_NUMBER_IN_USE). One owner\'s lines together weigh at most a warning per caller.',
        body: { type: 'object', required: ['numbers'], properties: { numbers: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 64 } } } },
        response: created(R.postHoneypots201),
      },
    },
    async (request, reply) => reply.code(201).send(await registerHoneypots(ctx, request.body.numbers, request.actor)),
  );
  app.get(
    '/v1/honeypots',
    {
      config: { permission: 'honeypots.write' },
      schema: { tags: ['campaigns'], summary: 'Your honeypot lines (an admin: every line) and the callers each caught', response: ok(R.getHoneypots200) },
    },
    async (request) => listHoneypots(ctx, request.actor),
  );
  app.delete<{ Params: { number: string } }>(
    '/v1/honeypots/:number',
    {
      config: { permission: 'honeypots.write' },
      schema: {
        tags: ['campaigns'],
        summary: 'Remove one of your honeypot lines (an admin: any); the calls it caught stop counting',
        params: { type: 'object', required: ['number'], properties: { number: { type: 'string', minLength: 1, maxLength: 64 } } },
        response: ok(R.deleteHoneypot200),
      },
    },
    async (request) => removeHoneypot(ctx, request.params.number, request.actor),
  );
  app.post<{ Body: TranscriptInput }>(
    '/v1/honeypots/transcripts',
    {
      config: { permission: 'honeypots.write' },
      schema: {
        tags: ['campaigns'],
        summary: 'A transcript of a call to one of your honeypot lines: counts as a call to the line and feeds the script fingerprints of campaigns',
        body: {
          type: 'object',
          required: ['number', 'caller', 'text'],
          properties: { number: { type: 'string', minLength: 1, maxLength: 64 }, caller: { type: 'string', minLength: 1, maxLength: 64 }, text: { type: 'string', minLength: 1, maxLength: 100000 }, at: { type: 'string', format: 'date-time' } },
        },
        response: created(R.postTranscript201),
      },
    },
    async (request, reply) => reply.code(201).send(await addTranscript(ctx, request.body, request.actor)),
  );
  app.get<{ Querystring: { limit?: number } }>(
    '/v1/campaigns',
    {
      config: { permission: 'campaigns.read' },
      schema: {
        tags: ['campaigns'],
        summary: 'Campaigns: groups of callers tied by evidence (shared callees, numbers each used briefly, neighbour spoofing, the same script), most recently active first',
        querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 } } },
        response: ok(R.getCampaigns200),
      },
    },
    async (request) => campaignsList(ctx, request.query.limit ?? 100),
  );
  app.get<{ Params: { id: string } }>(
    '/v1/campaigns/:id',
    {
      config: { permission: 'campaigns.read' },
      schema: {
        tags: ['campaigns'],
        summary: 'One campaign with its members: when each was seen, when it joined, and the kinds of evidence that tie it in',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } },
        response: ok(R.getCampaign200),
      },
    },
    async (request) => campaignDetail(ctx, request.params.id),
  );
}
