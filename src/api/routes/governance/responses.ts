// Success responses of this area's routes, as /openapi.json documents them (see ../schemas.ts:
// objects are open, replies are serialised with JSON.stringify, so a schema never drops a field).
import { listOf, nullableString, reason } from '../schemas.js';

/** A complaint (ComplaintView in operations/governance/complaints.ts), the same in every reply. */
const complaint = {
  type: 'object',
  required: ['id', 'caller', 'category', 'occurredAt', 'offered', 'consented', 'claimedOrganization', 'holder', 'routedTo', 'violation', 'violations', 'findings', 'status', 'outcomeNote', 'decidedAt', 'createdAt'],
  properties: {
    id: { type: 'string' },
    caller: { type: 'string' },
    category: { type: 'string' },
    occurredAt: { type: 'string' },
    offered: nullableString,
    consented: { type: 'boolean' },
    claimedOrganization: nullableString,
    holder: nullableString,
    routedTo: nullableString,
    violation: { type: 'boolean' },
    violations: { type: 'array', items: { type: 'string' } },
    findings: { type: 'array', items: reason },
    status: { type: 'string' },
    outcomeNote: nullableString,
    decidedAt: nullableString,
    createdAt: { type: 'string' },
  },
} as const;

/** An escalation of a number holder to its carrier (EscalationView). */
const escalation = {
  type: 'object',
  required: ['id', 'holder', 'block', 'carrier', 'violations', 'windowDays', 'recommendation', 'complaints', 'evidence', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    holder: { type: 'string' },
    block: { type: 'string' },
    carrier: { type: 'string' },
    violations: { type: 'integer' },
    windowDays: { type: 'integer' },
    recommendation: { type: 'string' },
    complaints: { type: 'array', items: { type: 'string' } },
    evidence: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          complaint: { type: 'string' },
          occurredAt: { type: 'string' },
          category: { type: 'string' },
          violations: { type: 'array' },
          outcome: { type: 'string' },
          note: { type: 'string' },
        },
      },
    },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

/** A consent record (ConsentView in operations/governance/consents.ts). */
const consent = {
  type: 'object',
  required: ['id', 'business', 'purpose', 'channel', 'grantedAt', 'expiresAt', 'revokedAt', 'evidence', 'createdAt', 'recordedBy', 'revokedBy'],
  properties: {
    id: { type: 'string' },
    business: { type: 'string' },
    purpose: { type: 'string' },
    channel: { type: 'string' },
    grantedAt: { type: 'string' },
    expiresAt: { type: 'string' },
    revokedAt: nullableString,
    evidence: { type: 'string' },
    createdAt: { type: 'string' },
    recordedBy: nullableString,
    revokedBy: nullableString,
  },
} as const;

/** GET /v1/complaints 200 application/json */
export const getComplaints = listOf('complaints', complaint);

/** GET /v1/escalations 200 application/json */
export const getEscalations = listOf('escalations', escalation);

/** POST /v1/complaints 201 application/json */
export const postComplaints201 = complaint;

/** POST /v1/complaints/:id/outcome 200 application/json: the complaint, and the escalation it opened or grew (or null). */
export const postComplaintsByIdOutcome = {
  type: 'object',
  required: ['complaint', 'escalation'],
  properties: { complaint, escalation: { ...escalation, type: ['object', 'null'] } },
} as const;

/** GET /v1/consents 200 application/json */
export const getConsents = listOf('consents', consent);

/** POST /v1/consents 201 application/json */
export const postConsents201 = consent;

/** POST /v1/consents/:id/revoke 200 application/json */
export const postConsentsByIdRevoke = consent;

/** POST /v1/consents/withdraw 200 application/json */
export const postConsentsWithdraw = {
  type: 'object',
  required: ['number', 'business', 'withdrawn'],
  properties: { number: { type: 'string' }, business: { type: 'string' }, withdrawn: { type: 'array', items: consent } },
} as const;

/** POST /v1/dnc 201 application/json */
export const postDnc201 = {
  type: 'object',
  required: ['number', 'registered', 'registeredAt', 'withdrawnAt'],
  properties: {
    number: { type: 'string' },
    registered: { type: 'boolean' },
    registeredAt: { type: 'string' },
    withdrawnAt: nullableString,
  },
} as const;

/** POST /v1/dnc/withdraw 200 application/json */
export const postDncWithdraw = {
  type: 'object',
  required: ['number', 'registered', 'registeredAt', 'withdrawnAt'],
  properties: {
    number: { type: 'string' },
    registered: { type: 'boolean' },
    registeredAt: { type: 'string' },
    withdrawnAt: { type: 'string' },
  },
} as const;

/** A registered number block (HolderView in operations/governance/holders.ts). */
const holderBlock = {
  type: 'object',
  required: ['id', 'block', 'kind', 'holder', 'identityLevel', 'use', 'carrier', 'org'],
  properties: {
    id: { type: 'string' },
    block: { type: 'string' },
    kind: { type: 'string' },
    holder: { type: 'string' },
    identityLevel: { type: 'string' },
    use: { type: 'string' },
    carrier: { type: 'string' },
    org: nullableString,
  },
} as const;

/** GET /v1/holders 200 application/json: a holder's blocks, or (?number=) the block a number is in. */
export const getHolders = {
  type: 'object',
  properties: {
    blocks: { type: 'array', items: holderBlock },
    number: { type: 'string' },
    holder: { ...holderBlock, type: ['object', 'null'] },
  },
} as const;

/** POST /v1/holders 201 application/json */
export const postHolders201 = {
  type: 'object',
  required: ['registered', 'updated', 'blocks'],
  properties: {
    registered: { type: 'integer' },
    updated: { type: 'integer' },
    blocks: { type: 'array', items: holderBlock },
  },
} as const;

/** `{ from, to, <key>: [item, ...] }`: the shape of the statistics over a period. */
const overPeriod = <K extends string, S extends object>(key: K, item: S) => {
  const list = listOf(key, item);
  return { type: 'object', required: ['from', 'to', key], properties: { from: { type: 'string' }, to: { type: 'string' }, ...list.properties } } as const;
};

const carrierComplaints = {
  type: 'object',
  required: ['carrier', 'count', 'violations', 'open'],
  properties: {
    carrier: { type: 'string' },
    count: { type: 'integer' },
    violations: { type: 'integer' },
    open: { type: 'integer' },
  },
} as const;

const holderComplaints = {
  type: 'object',
  required: ['holder', 'count', 'violations', 'confirmed'],
  properties: {
    holder: { type: 'string' },
    count: { type: 'integer' },
    violations: { type: 'integer' },
    confirmed: { type: 'integer' },
  },
} as const;

/** GET /v1/stats/complaints 200 application/json */
export const getStatsComplaints = {
  type: 'object',
  required: ['from', 'to', 'days', 'carriers', 'holders'],
  properties: {
    from: { type: 'string' },
    to: { type: 'string' },
    days: {
      type: 'array',
      items: {
        type: 'object',
        required: ['day', 'category', 'count', 'violations'],
        properties: {
          day: { type: 'string' },
          category: { type: 'string' },
          count: { type: 'integer' },
          violations: { type: 'integer' },
        },
      },
    },
    carriers: { type: 'array', items: carrierComplaints },
    holders: { type: 'array', items: holderComplaints },
  },
} as const;

/** GET /v1/stats/complaints/carriers 200 application/json */
export const getStatsComplaintsCarriers = overPeriod('carriers', carrierComplaints);

/** GET /v1/stats/complaints/holders 200 application/json */
export const getStatsComplaintsHolders = overPeriod('holders', holderComplaints);

/** GET /v1/stats/reports 200 application/json */
export const getStatsReports = overPeriod('days', {
  type: 'object',
  required: ['day', 'category', 'count'],
  properties: { day: { type: 'string' }, category: { type: 'string' }, count: { type: 'integer' } },
} as const);

/** GET /v1/stats/top-identifiers 200 application/json */
export const getStatsTopIdentifiers = overPeriod('identifiers', {
  type: 'object',
  required: ['identifier', 'reports', 'complaints', 'total', 'topCategory', 'score'],
  properties: {
    identifier: { type: 'string' },
    reports: { type: 'integer' },
    complaints: { type: 'integer' },
    total: { type: 'integer' },
    topCategory: { type: 'string' },
    score: { type: 'integer' },
  },
} as const);

/** GET /v1/stats/violations 200 application/json */
export const getStatsViolations = {
  type: 'object',
  required: ['from', 'to', 'totals', 'days'],
  properties: {
    from: { type: 'string' },
    to: { type: 'string' },
    totals: { type: 'object', properties: { NO_CONSENT: { type: 'integer' }, USE_MISMATCH: { type: 'integer' } } },
    days: {
      type: 'array',
      items: {
        type: 'object',
        required: ['day', 'violation', 'count'],
        properties: { day: { type: 'string' }, violation: { type: 'string' }, count: { type: 'integer' } },
      },
    },
  },
} as const;

/** POST /v1/cdr 201 application/json */
export const postCdr201 = {
  type: 'object',
  required: ['id', 'rows', 'malformed', 'issues', 'callers', 'flagged', 'flags'],
  properties: {
    id: { type: 'string' },
    rows: { type: 'integer' },
    malformed: { type: 'integer' },
    issues: {
      type: 'array',
      items: {
        type: 'object',
        required: ['line', 'reason'],
        properties: { line: { type: 'integer' }, reason: { type: 'string' } },
      },
    },
    callers: { type: 'integer' },
    flagged: { type: 'integer' },
    flags: {
      type: 'array',
      items: {
        type: 'object',
        required: ['caller', 'category', 'pattern', 'origin'],
        properties: {
          caller: { type: 'string' },
          category: { type: 'string' },
          pattern: { type: 'string' },
          origin: { type: 'string' },
        },
      },
    },
  },
} as const;

/** GET /v1/cdr/streams 200 application/json */
export const getCdrStreams200 = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'stream', 'subject', 'owner', 'leaseUntil', 'lastSequence', 'messages', 'rows', 'malformed', 'callers', 'flagged', 'createdAt', 'updatedAt'],
        properties: {
          name: { type: 'string', description: 'the durable consumer' },
          stream: { type: 'string' },
          subject: { type: 'string' },
          owner: { type: ['string', 'null'], description: 'the node analysing the stream (null when none holds the lease)' },
          leaseUntil: nullableString,
          lastSequence: { type: 'integer', description: 'highest stream sequence analysed as of the last checkpoint' },
          messages: { type: 'integer' },
          rows: { type: 'integer' },
          malformed: { type: 'integer' },
          callers: { type: 'integer' },
          flagged: { type: 'integer' },
          connection: {
            type: ['object', 'null'],
            description: "this node's link to NATS for the stream (null when this node does not consume it); the consumer reconnects by itself",
            required: ['state', 'lastError', 'lastErrorAt', 'disconnects'],
            properties: {
              state: { type: 'string', enum: ['connecting', 'connected', 'reconnecting', 'stopped'] },
              lastError: nullableString,
              lastErrorAt: nullableString,
              disconnects: { type: 'integer', description: 'connections lost since this node started consuming' },
            },
          },
          createdAt: { type: 'string' },
          updatedAt: { type: 'string' },
        },
      },
    },
  },
} as const;
