import type { FastifyRequest } from 'fastify';

// Shared pieces of the governance route schemas.
export const phoneString = { type: 'string', minLength: 1, maxLength: 64 } as const;
export const purposeEnum = ['marketing', 'research', 'notifications', 'customer-service'] as const;
export const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

export const reasonList = { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, text: { type: 'string' } }, required: ['code', 'text'] } } as const;

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
