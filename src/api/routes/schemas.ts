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
  required: ['score', 'category', 'confidence', 'label', 'reasons', 'reports', 'confirmed'],
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
export const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } }) as const;

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
  500: problemResponse('Something went wrong on our side (the requestId names it in our logs)'),
  503: problemResponse('The database is not available (see Retry-After)'),
} as const;

// Success responses. Every operation declares its 2xx body here or in its area's responses.ts; the
// document is the contract and the integration suites check every response against it. Objects
// are open (no additionalProperties: false): a field added later is not a breaking change, and
// replies are serialised with JSON.stringify (see server.ts), so a schema never drops a field.

/** A 200 JSON body plus every error response. */
export const ok = <S extends object>(schema: S) => ({ 200: schema, ...errorResponses }) as const;
/** A 201 JSON body (something was created) plus every error response. */
export const created = <S extends object>(schema: S) => ({ 201: schema, ...errorResponses }) as const;

/** CSV text as the exports send it (RFC 4180, formula-leading cells neutralised by src/csv-writer.ts). */
export const csvText = { type: 'string', description: 'RFC 4180 CSV with a header row' } as const;

/** A 200 that is JSON, or CSV when the client asks for it (?format=csv or a text/csv request). */
export const jsonOrCsv = <S extends object>(schema: S, description = 'JSON, or CSV with ?format=csv') =>
  ({ 200: { description, content: { 'application/json': { schema }, 'text/csv': { schema: csvText } } }, ...errorResponses }) as const;

/** `{ <key>: [item, ...] }`, the shape of every list route. */
export const listOf = <K extends string, S extends object>(key: K, item: S) =>
  ({ type: 'object', required: [key], properties: { [key]: { type: 'array', items: item } } as { [P in K]: { type: 'array'; items: S } } }) as const;

/** Strings that may be null (timestamps not reached yet, optional references). */
export const nullableString = { type: ['string', 'null'] } as const;

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
