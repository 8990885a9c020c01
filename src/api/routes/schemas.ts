import type { FastifyRequest } from 'fastify';
import { CALL_CHANNELS, CATEGORIES, REPORT_CHANNELS } from '../../reputation/index.js';

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

export const categoryEnum = CATEGORIES;
export const channelEnum = CALL_CHANNELS;
export const reportChannelEnum = REPORT_CHANNELS;

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

export function isCsv(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('text/csv');
}

/**
 * Routes that take JSON or text/csv validate whichever arrived against its own schema (the body
 * for JSON, the query for CSV), with the same problem+json naming the field as everywhere else.
 */
export function validateEither(jsonBody: object, csvQuery: object, wrap?: (body: unknown) => unknown) {
  return async (request: FastifyRequest): Promise<void> => {
    const csv = isCsv(request);
    const check = request.compileValidationSchema(csv ? csvQuery : jsonBody);
    const value = csv ? request.query : wrap ? wrap(request.body) : request.body;
    if (!check(value)) {
      throw Object.assign(new Error('validation'), { validation: check.errors, validationContext: csv ? 'querystring' : 'body' });
    }
  };
}
