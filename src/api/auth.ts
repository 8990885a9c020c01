import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.js';
import { CallshieldError } from '../errors.js';
import { allows, looksLikeApiKey } from '../auth/index.js';
import type { Permission } from '../auth/index.js';
import { cachedKeyCheck, checkKey } from '../operations/key-access.js';
import type { KeyCheck } from '../operations/key-access.js';
import type { Actor } from '../operations/actor.js';
import type { RateLimiter } from './rate-limit.js';
import { languageHeaders } from './locale.js';
import { nulInUrl } from './text-guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** What the route needs; routes without one are refused (fail closed). */
    permission?: Permission;
    /** Serialise replies with fast-json-stringify from the response schema (which must then list every field; see server.ts). */
    fastSerialize?: boolean;
  }
}

/**
 * The actor behind a key (see operations/key-access.ts for the cache and how revocations reach every
 * node), or a 401 that says why not. `beforeStore` runs only when the store must be asked.
 */
export type KeyResolver = ((key: string, beforeStore?: () => Promise<void>) => Promise<Actor>) & {
  /** The actor from the key cache without waiting, or undefined when the store must be asked; throws the same 401s. */
  cached?: (key: string) => Actor | undefined;
};

function actorOf(check: KeyCheck | undefined): Actor {
  if (!check) throw new CallshieldError('AUTH_INVALID_KEY', 'the key is unknown', { field: 'authorization' });
  if (check.ok) return check.actor;
  if (check.code === 'AUTH_KEY_EXPIRED') {
    throw new CallshieldError('AUTH_KEY_EXPIRED', `the key expired at ${check.at}; ask your administrator for a new one (callshield keys rotate or keys create)`, { field: 'authorization' });
  }
  throw new CallshieldError('AUTH_KEY_REVOKED', `the key was revoked at ${check.at}`, { field: 'authorization' });
}

export function createKeyResolver(ctx: AppContext): KeyResolver {
  const resolve: KeyResolver = async (key, beforeStore) => actorOf(looksLikeApiKey(key) ? await checkKey(ctx, key, beforeStore) : undefined);
  resolve.cached = (key) => {
    if (!looksLikeApiKey(key)) return undefined;
    const check = cachedKeyCheck(ctx, key);
    return check === undefined ? undefined : actorOf(check);
  };
  return resolve;
}

/** The key in an `Authorization: Bearer <key>` header, or undefined when the header has another shape. */
export function bearerKey(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
}

/**
 * Registers the authentication, rate limit and role check for every route in this (encapsulated)
 * scope: a missing, unknown, revoked or expired key is 401; past the rate limit 429 (counted by
 * client address until the key is verified, then by key); a known key whose role lacks the route's
 * permission is 403.
 */
export function protect(app: FastifyInstance, resolve: KeyResolver, limiter: RateLimiter): void {
  app.decorateRequest('actor', null as unknown as Actor);
  const authorise = (request: FastifyRequest, actor: Actor): void => {
    request.actor = actor;
    const permission = request.routeOptions.config.permission;
    if (!permission || !allows(actor.role, permission)) {
      throw new CallshieldError('AUTH_FORBIDDEN', `a key with the role ${actor.role} may not ${request.method} ${request.routeOptions.url}`);
    }
  };
  const slowPath = async (request: FastifyRequest, reply: FastifyReply, key: string): Promise<void> => {
    const actor = await resolve(key, () => limiter.byAddress(request, reply) ?? Promise.resolve());
    await limiter.byKey(request, reply, actor.keyId!);
    authorise(request, actor);
  };
  // Callback style with a synchronous path for a cached key and a local rate limit (every request
  // of a working client): no promise per request; anything else takes the asynchronous path.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    languageHeaders(request, reply); // here rather than in a hook of its own (issue 17)
    try {
      const header = request.headers.authorization;
      if (!header) throw new CallshieldError('AUTH_MISSING_KEY', 'send the key as "Authorization: Bearer <key>"', { field: 'authorization' });
      const key = bearerKey(header);
      if (!key) throw new CallshieldError('AUTH_INVALID_KEY', 'the Authorization header must be "Bearer <key>"', { field: 'authorization' });
      const nul = nulInUrl(request); // NUL characters in the query or path (text-guard.ts)
      if (nul) throw nul;
      const actor = resolve.cached?.(key);
      if (actor === undefined) {
        slowPath(request, reply, key).then(() => done(), done);
        return;
      }
      const counted = limiter.byKey(request, reply, actor.keyId!);
      if (counted !== undefined) {
        counted
          .then(() => authorise(request, actor))
          .then(() => done(), done);
        return;
      }
      authorise(request, actor);
      done();
    } catch (err) {
      done(err as Error);
    }
  });
}
