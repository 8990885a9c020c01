import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.js';
import { CallshieldError } from '../errors.js';
import { allows, hashApiKey, looksLikeApiKey } from '../auth/index.js';
import type { Permission } from '../auth/index.js';
import { findKeyOwner } from '../store/orgs.js';
import { personOfKey } from '../operations/actor.js';
import type { Actor } from '../operations/actor.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** What the route needs; routes without one are refused (fail closed). */
    permission?: Permission;
  }
}

// Positive look-ups are cached for a short time so that the hot path does not query the store on
// every request; a revoked key stops working within KEY_CACHE_MS on every node.
const KEY_CACHE_MS = 30_000;

export function createKeyResolver(ctx: AppContext) {
  const cache = new Map<string, { actor: Actor; until: number }>();
  return async (key: string): Promise<Actor | undefined> => {
    const h = hashApiKey(key);
    const hit = cache.get(h);
    const now = Date.now();
    if (hit && hit.until > now) return hit.actor;
    let owner;
    try {
      owner = await findKeyOwner(ctx.db, h);
    } catch (err) {
      // The database is away: a key we knew a moment ago still works, so screening (which never
      // needs the database) keeps answering through an outage.
      if (hit) return hit.actor;
      throw err;
    }
    if (!owner) {
      cache.delete(h);
      return undefined;
    }
    const actor: Actor = { orgId: owner.id, orgName: owner.name, role: owner.role, keyId: owner.keyId, person: personOfKey(owner.person, owner.keyId) };
    if (cache.size > 10_000) cache.clear();
    cache.set(h, { actor, until: now + KEY_CACHE_MS });
    return actor;
  };
}

/** The key in an `Authorization: Bearer <key>` header, or undefined when the header has another shape. */
export function bearerKey(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
}

/**
 * Registers the authentication and role check for every route in this (encapsulated) scope: a
 * missing or unknown key is 401, a known key whose role lacks the route's permission is 403.
 */
export function protect(app: FastifyInstance, resolve: (key: string) => Promise<Actor | undefined>): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) throw new CallshieldError('AUTH_MISSING_KEY', 'send the key as "Authorization: Bearer <key>"', { field: 'authorization' });
    const key = bearerKey(header);
    if (!key) throw new CallshieldError('AUTH_INVALID_KEY', 'the Authorization header must be "Bearer <key>"', { field: 'authorization' });
    const actor = looksLikeApiKey(key) ? await resolve(key) : undefined;
    if (!actor) throw new CallshieldError('AUTH_INVALID_KEY', 'the key is unknown or revoked', { field: 'authorization' });
    request.actor = actor;
    const permission = request.routeOptions.config.permission;
    if (!permission || !allows(actor.role, permission)) {
      throw new CallshieldError('AUTH_FORBIDDEN', `a ${actor.role} key may not ${request.method} ${request.routeOptions.url}`);
    }
  });
}
