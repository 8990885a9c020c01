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
  additionalProperties: true,
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

/** One error response as the OpenAPI document shows it: an RFC 9457 problem document. */
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } }) as const;

/** The errors every key-protected route can answer, each as application/problem+json. */
export const errorResponses = {
  400: problemResponse('Bad input: the problem names the field at fault'),
  401: problemResponse('No API key, or an unknown, revoked or expired one'),
  403: problemResponse("The key's role may not do this"),
  404: problemResponse('No such resource'),
  409: problemResponse('The request conflicts with the current state'),
  413: problemResponse('The request body is too large'),
  414: problemResponse('A path parameter is too long'),
  415: problemResponse('The request content type is not supported'),
  429: problemResponse('Too many requests (see Retry-After)'),
  503: problemResponse('The database is not available (see Retry-After)'),
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
