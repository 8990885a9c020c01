import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { fileComplaint, listComplaints, listEscalations, recordOutcome } from '../../../operations/governance/complaints.js';
import type { ComplaintInput } from '../../../operations/governance/complaints.js';
import { categoryEnum, created, errorResponses, identifierString, ok } from '../schemas.js';
import * as R from './responses.js';
import { phoneString } from './schemas.js';

const complaintBody = {
  type: 'object',
  additionalProperties: false,
  required: ['caller', 'callee', 'occurredAt', 'consented', 'category'],
  properties: {
    caller: identifierString,
    callee: phoneString,
    occurredAt: { type: 'string', format: 'date-time' },
    offered: { type: 'string', maxLength: 1000, description: 'What the caller offered or asked for' },
    consented: { type: 'boolean', description: 'Whether the person ever consented to calls from this caller' },
    category: { type: 'string', enum: categoryEnum },
    claimedOrganization: { type: 'string', minLength: 1, maxLength: 200, description: 'Who the caller claimed to be' },
  },
} as const;

export async function governanceComplaintRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.post<{ Body: ComplaintInput }>(
    '/v1/complaints',
    {
      config: { permission: 'complaints.create' },
      schema: { tags: ['governance'], summary: 'A person complains about a call; checked against the registries and routed to the carrier holding the number', body: complaintBody, response: created(R.postComplaints201) },
    },
    async (request, reply) => reply.code(201).send(await fileComplaint(ctx, request.body, request.actor)),
  );
  app.get<{ Querystring: { status?: string } }>(
    '/v1/complaints',
    {
      config: { permission: 'complaints.read' },
      schema: {
        tags: ['governance'],
        summary: 'Complaints routed to your carrier (an app sees those it filed; regulators and admins all)',
        querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['open', 'warned', 'suspended', 'dismissed'] } } },
        response: ok(R.getComplaints),
      },
    },
    async (request) => ({ complaints: await listComplaints(ctx, request.actor, request.query.status) }),
  );
  app.post<{ Params: { id: string }; Body: { outcome: string; note: string } }>(
    '/v1/complaints/:id/outcome',
    {
      config: { permission: 'complaints.decide' },
      schema: {
        tags: ['governance'],
        summary: 'The carrier holding the number records what it did: warned, suspended or dismissed',
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
        body: { type: 'object', additionalProperties: false, required: ['outcome', 'note'], properties: { outcome: { type: 'string', enum: ['warned', 'suspended', 'dismissed'] }, note: { type: 'string', minLength: 1, maxLength: 2000 } } },
        response: ok(R.postComplaintsByIdOutcome),
      },
    },
    async (request) => recordOutcome(ctx, request.params.id, request.body, request.actor),
  );
  app.get(
    '/v1/escalations',
    { config: { permission: 'escalations.read' }, schema: { tags: ['governance'], summary: 'Holders with repeated confirmed violations, with a recommendation to suspend the resource and the evidence', response: ok(R.getEscalations) } },
    async (request) => ({ escalations: await listEscalations(ctx, request.actor) }),
  );
}
