// Shared JSON Schema pieces. Bodies are strict: unknown fields are rejected (additionalProperties
// false, with Ajv's removeAdditional off) and types are not coerced.
export const identifierString = { type: 'string', minLength: 1, maxLength: 512 } as const;

export const reason = {
  type: 'object',
  properties: { code: { type: 'string' }, text: { type: 'string' } },
  required: ['code', 'text'],
} as const;

export const problem = {
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string' },
    field: { type: 'string' },
    requestId: { type: 'string' },
  },
  required: ['type', 'title', 'status', 'detail', 'code'],
} as const;

export const categoryEnum = ['fraud', 'impersonation', 'harassment', 'robocall', 'spam-ad', 'other'] as const;

export const reputation = {
  type: 'object',
  properties: {
    identifier: { type: 'string' },
    kind: { type: 'string' },
    score: { type: 'integer' },
    category: { type: ['string', 'null'] },
    confidence: { type: 'number' },
    label: { type: 'string' },
    reasons: { type: 'array', items: reason },
    reports: { type: 'integer' },
    confirmed: { type: 'boolean' },
    claimedOrganization: { type: ['string', 'null'] },
  },
} as const;

export const errorResponses = {
  400: problem,
  401: problem,
  403: problem,
} as const;
