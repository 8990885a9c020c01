import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { claimNamespaces, decideNamespace, listNamespaces, MAX_NAMESPACES } from '../../../operations/response/namespaces.js';
import { acceptTask, completeTask, getTask, listTasks, refuseTask, TASK_FILTERS } from '../../../operations/response/tasks.js';
import { responseTimeStats } from '../../../operations/response/stats.js';
import { toCsv } from '../../../operations/governance/stats.js';
import { created, errorResponses, jsonOrCsv, ok } from '../schemas.js';
import * as R from './responses.js';
import { idParams, limitQuery } from '../payments/schemas.js';
import { day } from '../governance/schemas.js';

const nameList = { type: 'array', maxItems: MAX_NAMESPACES, items: { type: 'string', minLength: 1, maxLength: 253 } } as const;

/** Joint response: platform namespaces, the work queues of tasks, and the regulator's response times. */
export async function responseRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  app.post<{ Body: { accounts?: string[]; emailDomains?: string[] } }>(
    '/v1/platforms/namespaces',
    {
      config: { permission: 'namespaces.claim' },
      schema: {
        tags: ['response'],
        summary: 'A platform claims account platform names and e-mail domains it answers for; one another platform holds stays pending until an admin approves',
        body: { type: 'object', additionalProperties: false, properties: { accounts: nameList, emailDomains: nameList } },
        response: created(R.postPlatformsNamespaces201),
      },
    },
    async (request, reply) => reply.code(201).send({ claims: await claimNamespaces(ctx, request.body, request.actor) }),
  );
  app.get<{ Querystring: { status?: string } }>(
    '/v1/platforms/namespaces',
    {
      config: { permission: 'namespaces.read' },
      schema: { tags: ['response'], summary: 'Namespace claims (a platform: its own; regulators and admins: all)', querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['approved', 'pending', 'rejected', 'replaced'] } } }, response: ok(R.getPlatformsNamespaces) },
    },
    async (request) => ({ claims: await listNamespaces(ctx, request.actor, request.query) }),
  );
  for (const decision of ['approve', 'reject'] as const) {
    app.post<{ Params: { id: string } }>(
      `/v1/platforms/namespaces/:id/${decision}`,
      { config: { permission: 'namespaces.decide' }, schema: { tags: ['response'], summary: decision === 'approve' ? 'Approve a pending claim (the space moves to the claimant)' : 'Reject a pending claim', params: idParams, response: ok(R.postPlatformsNamespacesByIdReject) } },
      async (request) => decideNamespace(ctx, request.params.id, decision, request.actor),
    );
  }

  app.get<{ Querystring: { status?: string; caseId?: string; limit?: number } }>(
    '/v1/tasks',
    {
      config: { permission: 'tasks.read' },
      schema: {
        tags: ['response'],
        summary: "Your organisation's tasks from victims' cases (?status=open; ?status=overdue: waiting past the deadline); regulators and admins see every organisation's (?status=escalated)",
        querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: [...TASK_FILTERS] }, caseId: { type: 'string', minLength: 1, maxLength: 64 }, ...limitQuery } },
        response: ok(R.getTasks),
      },
    },
    async (request) => ({ tasks: await listTasks(ctx, request.actor, request.query) }),
  );
  app.get<{ Params: { id: string } }>(
    '/v1/tasks/:id',
    { config: { permission: 'tasks.read' }, schema: { tags: ['response'], summary: 'One task with its steps', params: idParams, response: ok(R.task) } },
    async (request) => getTask(ctx, request.params.id, request.actor),
  );
  app.post<{ Params: { id: string } }>(
    '/v1/tasks/:id/accept',
    { config: { permission: 'tasks.act' }, schema: { tags: ['response'], summary: 'Take the task on (signed webhook task.accepted)', params: idParams, response: ok(R.postTasksByIdAccept) } },
    async (request) => acceptTask(ctx, request.params.id, request.actor),
  );
  app.post<{ Params: { id: string }; Body: { outcome: string; details?: Record<string, unknown> } }>(
    '/v1/tasks/:id/done',
    {
      config: { permission: 'tasks.act' },
      schema: {
        tags: ['response'],
        summary: 'Report what was done ("number suspended", "account suspended", "amount held", "traced to carrier X"); signed webhook task.done',
        params: idParams,
        body: { type: 'object', additionalProperties: false, required: ['outcome'], properties: { outcome: { type: 'string', minLength: 1, maxLength: 500 }, details: { type: 'object' } } },
        response: ok(R.postTasksByIdDone),
      },
    },
    async (request) => completeTask(ctx, request.params.id, request.body, request.actor),
  );
  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/v1/tasks/:id/refuse',
    {
      config: { permission: 'tasks.act' },
      schema: { tags: ['response'], summary: 'Refuse the task with a reason (signed webhook task.refused)', params: idParams, body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } } }, response: ok(R.postTasksByIdRefuse) },
    },
    async (request) => refuseTask(ctx, request.params.id, request.body, request.actor),
  );

  app.get<{ Querystring: { from?: string; to?: string; format?: 'json' | 'csv' } }>(
    '/v1/stats/response-times',
    {
      config: { permission: 'stats.read' },
      schema: {
        tags: ['stats'],
        summary: 'Median and 90th-percentile minutes from case to each kind of action, per organisation and week of filing (?from&to days; ?format=csv)',
        querystring: { type: 'object', additionalProperties: false, properties: { from: day, to: day, format: { type: 'string', enum: ['json', 'csv'] } } },
        response: jsonOrCsv(R.getStatsResponseTimes),
      },
    },
    async (request, reply: FastifyReply) => {
      const q = request.query;
      const r = await responseTimeStats(ctx, { ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) });
      if (q.format !== 'csv') return r;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="response-times.csv"').send(toCsv(r.rows as unknown as Record<string, unknown>[], ['week', 'organisation', 'kind', 'action', 'count', 'medianMinutes', 'p90Minutes']));
    },
  );
}
