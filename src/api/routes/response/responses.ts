// Success responses of this area's routes, as /openapi.json documents them (see ../schemas.ts:
// objects are open, replies are serialised with JSON.stringify, so a schema never drops a field).

/** One namespace claim (an account platform or an e-mail domain), pending until decided when contested. */
const namespaceClaim = {
  type: 'object',
  required: ['id', 'kind', 'value', 'platform', 'status', 'claimedBy', 'createdAt', 'decidedBy', 'decidedAt'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    value: { type: 'string' },
    platform: { type: 'string' },
    status: { type: 'string' },
    claimedBy: { type: 'string' },
    createdAt: { type: 'string' },
    decidedBy: { type: ['string', 'null'] },
    decidedAt: { type: ['string', 'null'] },
  },
} as const;

/** GET /v1/platforms/namespaces 200 application/json */
export const getPlatformsNamespaces = { type: 'object', required: ['claims'], properties: { claims: { type: 'array', items: namespaceClaim } } } as const;

/** GET /v1/stats/response-times 200 application/json */
export const getStatsResponseTimes = {
  type: 'object',
  required: ['from', 'to', 'rows'],
  properties: {
    from: { type: 'string' },
    to: { type: 'string' },
    rows: {
      type: 'array',
      items: {
        type: 'object',
        required: ['week', 'organisation', 'kind', 'action', 'count', 'medianMinutes', 'p90Minutes'],
        properties: {
          week: { type: 'string' },
          organisation: { type: 'string' },
          kind: { type: 'string' },
          action: { type: 'string' },
          count: { type: 'integer' },
          medianMinutes: { type: 'number' },
          p90Minutes: { type: 'number' },
        },
      },
    },
  },
} as const;

/** One step of a task (TaskStep in operations/response/tasks.ts): who acted, as whom, when, and with what. */
const taskStep = {
  type: 'object',
  required: ['action', 'status', 'organisation', 'person', 'by', 'at'],
  properties: {
    action: { type: 'string' },
    status: { type: 'string' },
    organisation: { type: ['string', 'null'] },
    person: { type: ['string', 'null'] },
    by: { type: 'string' },
    at: { type: 'string' },
    outcome: { type: 'string' },
    reason: { type: 'string' },
    details: {
      type: 'object',
      properties: {
        heldAmount: { type: 'integer', description: 'minor units (fen, cents)' },
        currency: { type: 'string' },
        tracedTo: { type: 'string' },
        subscriberOfRecord: { type: 'string' },
      },
    },
  },
} as const;

/** A task (TaskView): the same shape in the queue, after each step, alone and inside its case. */
export const task = {
  type: 'object',
  required: ['id', 'caseId', 'kind', 'identifier', 'ask', 'organisation', 'deadline', 'status', 'overdue', 'steps', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    caseId: { type: 'string' },
    kind: { type: 'string' },
    identifier: { type: 'string' },
    ask: { type: 'string' },
    organisation: { type: ['string', 'null'] },
    deadline: { type: 'string' },
    status: { type: 'string' },
    overdue: { type: 'boolean' },
    steps: { type: 'array', items: taskStep },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

/** GET /v1/tasks 200 application/json */
export const getTasks = { type: 'object', required: ['tasks'], properties: { tasks: { type: 'array', items: task } } } as const;

/** POST /v1/platforms/namespaces 201 application/json */
export const postPlatformsNamespaces201 = getPlatformsNamespaces;

/** POST /v1/tasks/:id/accept 200 application/json */
export const postTasksByIdAccept = task;

/** POST /v1/tasks/:id/done 200 application/json */
export const postTasksByIdDone = task;

/** POST /v1/tasks/:id/refuse 200 application/json */
export const postTasksByIdRefuse = task;

/** POST /v1/platforms/namespaces/:id/reject 200 application/json: a decided claim names who decided and when. */
export const postPlatformsNamespacesByIdReject = {
  ...namespaceClaim,
  properties: { ...namespaceClaim.properties, decidedBy: { type: 'string' }, decidedAt: { type: 'string' } },
} as const;

