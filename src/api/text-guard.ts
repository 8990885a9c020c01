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

/**
 * Refuses NUL characters anywhere in the body, query or path of a request: PostgreSQL cannot store
 * them in text (the write would fail as a 500) and no caller id, name or comment needs one.
 */
export function refuseNul(app: FastifyInstance): void {
  // Callback style: no promise per request on the hot routes.
  app.addHook('preValidation', (request, _reply, done) => {
    const inBody = findNul(request.body);
    if (inBody !== undefined) {
      const field = inBody || 'body';
      return done(new CallshieldError('REQUEST_INVALID_BODY', `${field} must not contain NUL characters`, { field }));
    }
    const inQuery = findNul(request.query);
    if (inQuery !== undefined) return done(new CallshieldError('REQUEST_INVALID_QUERY', `${inQuery} must not contain NUL characters`, { field: inQuery }));
    const inParams = findNul(request.params);
    if (inParams !== undefined) return done(new CallshieldError('REQUEST_INVALID_QUERY', `${inParams} must not contain NUL characters`, { field: inParams }));
    done();
  });
}
