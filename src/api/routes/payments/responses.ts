// Success responses of this area's routes as /openapi.json documents them (helpers and rules in ../schemas.ts:
// objects are open; replies go out through JSON.stringify, so a schema never drops a field).
import { listOf, nullableString, reason } from '../schemas.js';
import { task } from '../response/responses.js';

/** POST /v1/accounts/flags 201 and POST /v1/accounts/flags/:id/revoke 200: application/json */
export const flag = {
  type: 'object',
  required: ['id', 'account', 'kind', 'level', 'source', 'evidence', 'caller', 'caseId', 'createdAt', 'expiresAt', 'own'],
  properties: {
    id: { type: 'string' },
    account: { type: 'string' },
    kind: { type: 'string' },
    level: { type: 'string' },
    source: { type: 'string' },
    evidence: { type: 'string' },
    caller: {},
    caseId: {},
    createdAt: { type: 'string' },
    expiresAt: { type: 'string' },
    own: { type: 'boolean' },
  },
} as const;

/** GET /v1/accounts/flags 200 application/json */
export const getAccountsFlags = listOf('flags', flag);

/** POST /v1/accounts/check 200 application/json */
export const postAccountsCheck = {
  type: 'object',
  required: ['account', 'kind', 'flagged', 'level', 'reasons'],
  properties: {
    account: { type: 'string' },
    kind: { type: 'string' },
    flagged: { type: 'boolean' },
    level: { type: ['string', 'null'], enum: ['confirmed', 'suspected', 'reported', null] },
    reasons: { type: 'array', items: reason },
  },
} as const;

/** POST /v1/accounts/reports 201 application/json */
export const postAccountsReports201 = {
  type: 'object',
  required: ['id', 'account', 'caller', 'level'],
  properties: {
    id: { type: 'string' },
    account: { type: 'string' },
    caller: { type: 'string' },
    level: { type: 'string' },
  },
} as const;

/** POST /v1/payers 201 and DELETE /v1/payers/:payer 200: application/json */
export const payerEnrolment = {
  type: 'object',
  required: ['payer', 'enrolled'],
  properties: { payer: { type: 'string' }, enrolled: { type: 'boolean' } },
} as const;

/** A case as the list shows it; alone (GET /v1/cases/:id) and when filed it has more. */
const caseSummary = {
  type: 'object',
  required: ['id', 'callers', 'payeeAccounts', 'amount', 'currency', 'occurredAt', 'createdAt'],
  properties: {
    id: { type: 'string' },
    callers: { type: 'array', items: { type: 'string' } },
    payeeAccounts: { type: 'array', items: { type: 'string' } },
    amount: { type: 'integer' },
    currency: { type: 'string' },
    occurredAt: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

/** GET /v1/cases 200 application/json */
export const getCases = listOf('cases', caseSummary);

/** GET /v1/cases/:id 200 application/json */
export const getCasesById = {
  type: 'object',
  required: [...caseSummary.required, 'filedBy', 'tasks', 'timeline'],
  properties: {
    ...caseSummary.properties,
    filedBy: { type: 'string' },
    tasks: { type: 'array', items: task },
    timeline: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'minutesFromFiling', 'taskId', 'kind', 'identifier', 'action', 'organisation', 'person'],
        properties: {
          at: { type: 'string' },
          minutesFromFiling: { type: 'number' },
          taskId: { type: 'string' },
          kind: { type: 'string' },
          identifier: { type: 'string' },
          action: { type: 'string' },
          organisation: nullableString,
          person: nullableString,
          outcome: { type: 'string' },
          reason: { type: 'string' },
        },
      },
    },
    summary: {
      type: 'object',
      required: ['language', 'headline', 'lines'],
      properties: {
        language: { type: 'string' },
        headline: { type: 'string' },
        lines: { type: 'array', items: { type: 'string' } },
      },
    },
  },
} as const;

/** POST /v1/cases 201 application/json: the case, its tasks, and the identifiers no organisation was found for. */
export const postCases201 = {
  type: 'object',
  required: [...caseSummary.required, 'tasks', 'unrouted'],
  properties: {
    ...caseSummary.properties,
    tasks: { type: 'array', items: task },
    unrouted: {
      type: 'array',
      items: {
        type: 'object',
        required: ['identifier', 'reason'],
        properties: { identifier: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
} as const;

/** One freeze: POST /v1/freezes 201, GET /v1/freezes/:id, every step (approve, acknowledge, extend, release) 200, and each of GET /v1/freezes */
export const freeze = {
  type: 'object',
  required: ['id', 'caseNumber', 'amount', 'currency', 'legalBasis', 'status', 'approvedAt', 'expiresAt', 'releaseReason', 'createdAt', 'updatedAt', 'accounts'],
  properties: {
    id: { type: 'string' },
    caseNumber: { type: 'string' },
    amount: { type: 'integer' },
    currency: { type: 'string' },
    legalBasis: { type: 'string' },
    status: { type: 'string' },
    approvedAt: { ...nullableString, description: 'null while pending' },
    expiresAt: { ...nullableString, description: 'null while pending' },
    releaseReason: nullableString,
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    accounts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['account', 'kind', 'bank', 'status', 'frozenAmount', 'alreadyLeft', 'note', 'acknowledgedAt'],
        properties: {
          account: { type: 'string' },
          kind: { type: 'string' },
          bank: { type: 'string' },
          status: { type: 'string' },
          frozenAmount: { type: ['integer', 'null'] },
          alreadyLeft: { type: ['boolean', 'null'] },
          note: nullableString,
          acknowledgedAt: nullableString,
        },
      },
    },
    filedBy: { type: 'string' },
    approvedBy: nullableString,
    releaseRequestedBy: nullableString,
    releaseRequestedAt: nullableString,
    releaseRequestReason: nullableString,
    releasedBy: nullableString,
    extendRequestedBy: nullableString,
    extendRequestedAt: nullableString,
    extendRequestHours: { type: ['integer', 'null'] },
    extendRequestReason: nullableString,
  },
} as const;

/** GET /v1/freezes 200 application/json */
export const getFreezes = listOf('freezes', freeze);

/** One hold: GET /v1/holds/:id, POST /v1/holds/:id/release and /return 200, and each of GET /v1/holds */
export const hold = {
  type: 'object',
  required: ['id', 'checkId', 'account', 'amount', 'currency', 'status', 'reasons', 'deadline', 'overdue', 'steps', 'createdAt', 'updatedAt', 'customerRef'],
  properties: {
    id: { type: 'string' },
    checkId: { type: 'string' },
    account: { type: 'string' },
    amount: { type: 'integer' },
    currency: { type: 'string' },
    status: { type: 'string' },
    reasons: { type: 'array', items: reason },
    deadline: { type: 'string' },
    overdue: { type: 'boolean' },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        required: ['status', 'reason', 'by', 'at'],
        properties: {
          status: { type: 'string' },
          reason: { type: 'string' },
          by: { type: 'string' },
          at: { type: 'string' },
        },
      },
    },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    customerRef: {
      ...nullableString,
      description: 'Whose transfer it is: the customer reference the bank sent in the check; shown to that bank only (null to regulators and on holds made before this field existed)',
    },
  },
} as const;

/** GET /v1/holds 200 application/json */
export const getHolds = listOf('holds', hold);

const guardian = {
  type: 'object',
  required: ['name', 'contact'],
  properties: { name: { type: 'string' }, contact: { type: 'string' } },
} as const;

/** GET /v1/subscribers/:subscriber/guardians 200 application/json */
export const getSubscribersBySubscriberGuardians = listOf('guardians', guardian);

/** POST /v1/subscribers/:subscriber/impersonation-alert 200 application/json */
export const postSubscribersBySubscriberImpersonationAlert = {
  type: 'object',
  required: ['guardians', 'notified', 'message'],
  properties: { guardians: { type: 'integer' }, notified: { type: 'integer' }, message: { type: 'string' } },
} as const;

/** POST /v1/subscribers/:subscriber/screen-sharing 200 application/json */
export const postSubscribersBySubscriberScreenSharing = {
  type: 'object',
  required: ['marked', 'reason'],
  properties: {
    marked: { type: 'boolean' },
    reason,
    riskyCall: {
      type: 'object',
      required: ['callId', 'caller', 'stage', 'stages', 'risk', 'at', 'screenSharing', 'active'],
      properties: {
        callId: { type: 'string' },
        caller: { type: 'string' },
        stage: { type: 'string' },
        stages: { type: 'array', items: { type: 'string' } },
        risk: { type: 'number' },
        at: { type: 'string' },
        screenSharing: { type: 'boolean' },
        active: { type: 'boolean' },
      },
    },
  },
} as const;

/** PUT /v1/subscribers/:subscriber/guardians 200 application/json */
export const putSubscribersBySubscriberGuardians = {
  type: 'object',
  required: ['guardians'],
  properties: {
    guardians: { type: 'array', items: { ...guardian, properties: { ...guardian.properties, webhookUrl: { type: 'string' } } } },
    secret: { type: 'string' },
  },
} as const;

/** GET /v1/webhooks 200 application/json */
export const getWebhooks = {
  type: 'object',
  required: ['url', 'updatedAt', 'events'],
  properties: {
    url: nullableString,
    updatedAt: nullableString,
    events: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** GET /v1/webhooks/deliveries 200 application/json */
export const getWebhooksDeliveries = {
  type: 'object',
  required: ['deliveries'],
  properties: {
    deliveries: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'eventId', 'event', 'url', 'status', 'attempts', 'nextAttemptAt', 'lastStatus', 'lastError', 'createdAt', 'deliveredAt', 'log'],
        properties: {
          id: { type: 'string' },
          eventId: { type: 'string' },
          event: { type: 'string' },
          url: { type: 'string' },
          status: { type: 'string' },
          attempts: { type: 'integer' },
          nextAttemptAt: nullableString,
          lastStatus: { type: ['integer', 'null'] },
          lastError: nullableString,
          createdAt: { type: 'string' },
          deliveredAt: nullableString,
          log: { type: 'array', items: { type: 'object' } },
        },
      },
    },
  },
} as const;

/** PUT /v1/webhooks 200 application/json */
export const putWebhooks = {
  type: 'object',
  required: ['url', 'secret', 'events'],
  properties: {
    url: { type: 'string' },
    secret: { type: 'string' },
    events: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** GET /v1/banks 200 application/json */
export const getBanks = {
  type: 'object',
  required: ['banks'],
  properties: {
    banks: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string', description: 'The bank organisation name, as a freeze names it' } } } },
  },
} as const;
