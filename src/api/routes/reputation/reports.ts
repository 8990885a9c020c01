import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { fileFeedback, fileReport } from '../../../operations/reputation/reports.js';
import type { FeedbackInput, ReportInput } from '../../../operations/reputation/reports.js';
import { categoryEnum, errorResponses, identifierString, reportChannelEnum, reputation } from '../schemas.js';

const reportBody = {
  type: 'object',
  additionalProperties: false,
  required: ['caller', 'reporter', 'category'],
  properties: {
    caller: identifierString,
    reporter: { type: 'string', minLength: 1, maxLength: 128, description: "The app's opaque reference to the subscriber who reports (never a phone number)" },
    category: { type: 'string', enum: categoryEnum },
    comment: { type: 'string', maxLength: 2000 },
    channel: { type: 'string', enum: reportChannelEnum },
    claimedOrganization: { type: 'string', maxLength: 200, description: 'Who the caller claimed to be, e.g. "bank customer service"' },
    occurredAt: { type: 'string', format: 'date-time' },
  },
} as const;

const feedbackBody = {
  type: 'object',
  additionalProperties: false,
  required: ['caller', 'reporter'],
  properties: {
    caller: identifierString,
    reporter: { type: 'string', minLength: 1, maxLength: 128 },
    verdict: { type: 'string', enum: ['not-spam'] },
    comment: { type: 'string', maxLength: 2000 },
    occurredAt: { type: 'string', format: 'date-time' },
  },
} as const;

const accepted = {
  type: 'object',
  required: ['id', 'caller', 'callerKind', 'reputation', 'held'],
  properties: {
    id: { type: 'string' },
    caller: { type: 'string' },
    callerKind: { type: 'string' },
    reputation,
    held: { type: 'boolean', description: 'Part of a burst of new reporters from your organisation on this caller, held for a regulator\'s review: it does not count until accepted' },
  },
} as const;

export async function reportRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.post<{ Body: ReportInput }>(
    '/v1/reports',
    { config: { permission: 'reports.create' }, schema: { tags: ['reports'], summary: 'A subscriber reports a caller', body: reportBody, response: { 201: accepted, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await fileReport(ctx, request.body, request.actor)),
  );
  app.post<{ Body: FeedbackInput }>(
    '/v1/feedback',
    { config: { permission: 'feedback.create' }, schema: { tags: ['reports'], summary: '"Not spam": a subscriber says the caller was wanted', body: feedbackBody, response: { 201: accepted, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await fileFeedback(ctx, request.body, request.actor)),
  );
}
