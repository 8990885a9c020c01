import type { FastifyInstance } from 'fastify';
import { CallshieldError } from '../errors.js';

/**
 * The dotted path ("entries.2.reason") of the first string in `value` that holds a NUL character,
 * or undefined. Iterative, so a deeply nested body cannot overflow the stack.
 */
export function findNul(value: unknown, root = ''): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        stack.push([child, path ? `${path}.${k}` : k]);
      }
    }
  }
  return undefined;
}

/** The error for a NUL character found at `field` of a body, query string or path. */
export function nulError(field: string, where: 'body' | 'query'): CallshieldError {
  return new CallshieldError(where === 'body' ? 'REQUEST_INVALID_BODY' : 'REQUEST_INVALID_QUERY', `${field} must not contain NUL characters`, { field });
}

/**
 * NUL characters are refused anywhere in a request (PostgreSQL cannot store them in text, so the
 * write would fail as a 500, and no caller id, name or comment needs one). Bodies are checked as
 * they are parsed, not by a hook on every request (issue 17): JSON text can spell a NUL only as the
 * escape \u0000 (a raw one is not valid JSON), so one scan of the text decides, and the parsed value
 * is walked for the field's name only when the escape is there.
 */
export function refuseNulInJson(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, raw, done) => {
    const body = String(raw);
    parse(request, body, (err: Error | null, value?: unknown) => {
      if (err) return done(err);
      if (body.includes('\\u0000')) {
        const field = findNul(value);
        if (field !== undefined) return done(nulError(field || 'body', 'body'));
      }
      done(null, value);
    });
  });
}

/** A text body (CSV) handed over as it came, NUL characters refused. */
export function textBody(_request: unknown, body: string | Buffer, done: (err: Error | null, body?: string) => void): void {
  const text = String(body);
  if (text.includes('\u0000')) done(nulError('body', 'body'));
  else done(null, text);
}

/**
 * A NUL character in a request's query string or path parameters, as an error; else undefined.
 * The URL can carry one only percent-encoded (Node's parser refuses a raw one), so the raw URL is
 * scanned first and the decoded values walked only when %00 is there. Called by the authentication
 * hook of the key-protected routes (src/api/auth.ts): no hook of its own. Routes without a key (the
 * static files, the public signing key) are not checked, as before.
 */
export function nulInUrl(request: { url: string; query: unknown; params: unknown }): CallshieldError | undefined {
  if (!request.url.includes('%00')) return undefined;
  const inQuery = findNul(request.query);
  if (inQuery !== undefined) return nulError(inQuery, 'query');
  const inPath = findNul(request.params);
  return inPath === undefined ? undefined : nulError(inPath, 'query');
}
