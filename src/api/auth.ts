import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.js';
import { CallshieldError } from '../errors.js';
import { allows, looksLikeApiKey } from '../auth/index.js';
import type { Permission } from '../auth/index.js';
import { checkKey } from '../operations/key-access.js';
import type { Actor } from '../operations/actor.js';
import type { RateLimiter } from './rate-limit.js';

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
export type KeyResolver = (key: string, beforeStore?: () => Promise<void>) => Promise<Actor>;

export function createKeyResolver(ctx: AppContext): KeyResolver {
  return async (key, beforeStore) => {
    const check = looksLikeApiKey(key) ? await checkKey(ctx, key, beforeStore) : undefined;
    if (!check) throw new CallshieldError('AUTH_INVALID_KEY', 'the key is unknown', { field: 'authorization' });
    if (check.ok) return check.actor;
    if (check.code === 'AUTH_KEY_EXPIRED') {
      throw new CallshieldError('AUTH_KEY_EXPIRED', `the key expired at ${check.at}; ask your administrator for a new one (callshield keys rotate or keys create)`, { field: 'authorization' });
    }
    throw new CallshieldError('AUTH_KEY_REVOKED', `the key was revoked at ${check.at}`, { field: 'authorization' });
  };
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
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    if (!header) throw new CallshieldError('AUTH_MISSING_KEY', 'send the key as "Authorization: Bearer <key>"', { field: 'authorization' });
    const key = bearerKey(header);
    if (!key) throw new CallshieldError('AUTH_INVALID_KEY', 'the Authorization header must be "Bearer <key>"', { field: 'authorization' });
    const actor = await resolve(key, () => limiter.byAddress(request, reply));
    request.actor = actor;
    await limiter.byKey(request, reply, actor.keyId!);
    const permission = request.routeOptions.config.permission;
    if (!permission || !allows(actor.role, permission)) {
      throw new CallshieldError('AUTH_FORBIDDEN', `a ${actor.role} key may not ${request.method} ${request.routeOptions.url}`);
    }
  });
}
