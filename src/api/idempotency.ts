import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.js';
import { CallshieldError } from '../errors.js';
import { claimIdempotencyKey, findIdempotencyKey, pruneIdempotencyKeys, releaseIdempotencyKey, storeIdempotentResponse } from '../store/idempotency.js';
import type { IdempotencyScope } from '../store/idempotency.js';

// Idempotency-Key on every POST of the key-protected API (issue 16): the first successful answer is
// kept for 24 hours under the caller's key + method + path + Idempotency-Key; the same request again
// gets that answer back (header `Idempotent-Replayed: true`) and writes nothing. The same key with a
// different body is 409 REQUEST_IDEMPOTENCY_CONFLICT. A request still being answered is waited for
// (a double click), up to a few seconds. A failed request (4xx/5xx) keeps nothing, so the client may
// fix it and retry with the same key. Routes with their own scheme (POST /v1/transfers/check keeps
// its key with the check) opt out with `config: { ownIdempotency: true }`. Routes whose answer holds a
// secret shown once (a new API key) set `config: { secretResponse: true }`: the answer is not kept
// (no secret in the database), and a repeat of the key is 409 instead of a second key.

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route keeps Idempotency-Key itself (see src/api/idempotency.ts). */
    ownIdempotency?: boolean;
    /** The handler answers Idempotency-Key itself through answerIdempotently (a hot path without the hooks). */
    inlineIdempotency?: boolean;
    /** The answer holds a secret shown once: a repeated Idempotency-Key is refused, the answer never stored. */
    secretResponse?: boolean;
  }
  interface FastifyRequest {
    idempotency: IdempotencyScope | null;
  }
}

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
const KEY_SHAPE = /^[\x21-\x7e]{1,200}$/;
const WAIT_MS = 5_000;

function hashOf(request: FastifyRequest): string {
  return createHash('sha256').update(JSON.stringify(request.body ?? null)).digest('hex');
}

function replay(reply: FastifyReply, row: { status: number | null; content_type: string | null; response: string | null }): FastifyReply {
  reply.code(row.status ?? 200).header('idempotent-replayed', 'true');
  if (row.content_type) reply.type(row.content_type);
  return reply.send(row.response ?? '');
}

interface Idempotency {
  /** Claims the request's key, or answers it from what was kept (then `reply.sent`), or throws the 409s. */
  claimOrReplay(request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
  /** Keeps a successful answer under the claimed key, or releases the key of a failed one. */
  keep(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<void>;
  /** Releases the claimed key (a failed request keeps nothing: the client may correct it and retry with the same key). */
  release(request: FastifyRequest): Promise<void>;
}

const perContext = new WeakMap<AppContext, Idempotency>();

function idempotencyOf(ctx: AppContext): Idempotency {
  let found = perContext.get(ctx);
  if (found) return found;
  let lastPrune = 0;
  const claimOrReplay = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const raw = request.headers['idempotency-key'];
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (typeof key !== 'string' || !KEY_SHAPE.test(key)) {
      throw new CallshieldError('REQUEST_INVALID', 'Idempotency-Key must be 1-200 printable ASCII characters', { field: 'idempotency-key' });
    }
    const now = ctx.now();
    if (now - lastPrune > 60_000) {
      lastPrune = now;
      await pruneIdempotencyKeys(ctx.db, new Date(now - IDEMPOTENCY_TTL_MS).toISOString());
    }
    const scope: IdempotencyScope = { api_key_id: request.actor.keyId ?? request.actor.orgId, idem_key: key, method: request.method, path: request.url.split('?')[0] ?? request.url };
    const hash = hashOf(request);
    const claim = () => claimIdempotencyKey(ctx.db, { ...scope, request_hash: hash, status: null, content_type: null, response: null, created_at: new Date(now).toISOString() });
    for (let waited = 0; ; waited += 50) {
      if (await claim()) {
        request.idempotency = scope;
        return;
      }
      const row = await findIdempotencyKey(ctx.db, scope);
      if (!row) continue; // released a moment ago: claim again
      if (Date.parse(row.created_at) <= now - IDEMPOTENCY_TTL_MS) {
        await releaseIdempotencyKey(ctx.db, scope);
        continue;
      }
      if (row.request_hash !== hash) {
        throw new CallshieldError('REQUEST_IDEMPOTENCY_CONFLICT', 'this Idempotency-Key was used with a different request; use a new key for a new request', { field: 'idempotency-key' });
      }
      if (row.status !== null && row.response === null) {
        throw new CallshieldError('REQUEST_IDEMPOTENCY_CONFLICT', 'this Idempotency-Key was already answered with a secret shown once, which is not kept; nothing was done again', { field: 'idempotency-key' });
      }
      if (row.status !== null) return replay(reply, row);
      if (waited >= WAIT_MS) throw new CallshieldError('REQUEST_IDEMPOTENCY_CONFLICT', 'a request with this Idempotency-Key is still being answered; retry in a moment', { field: 'idempotency-key' });
      await sleep(50);
    }
  };
  const release = async (request: FastifyRequest): Promise<void> => {
    const scope = request.idempotency;
    request.idempotency = null;
    if (scope) await releaseIdempotencyKey(ctx.db, scope);
  };
  const keep = async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<void> => {
    const status = reply.statusCode;
    if (!(status >= 200 && status < 300 && (typeof payload === 'string' || payload === null || payload === undefined))) return release(request);
    const scope = request.idempotency!;
    request.idempotency = null;
    const type = reply.getHeader('content-type');
    const secret = request.routeOptions.config.secretResponse === true;
    await storeIdempotentResponse(ctx.db, scope, status, typeof type === 'string' ? type : null, secret ? null : (payload ?? ''));
  };
  found = { claimOrReplay, keep, release };
  perContext.set(ctx, found);
  return found;
}

const wantsIdempotency = (request: FastifyRequest): boolean => request.method === 'POST' && request.headers['idempotency-key'] !== undefined;

export function idempotency(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('idempotency', null);
  const { claimOrReplay, keep } = idempotencyOf(ctx);
  // Callback style with an early return: a request without the header costs a header look-up, not
  // a promise. Added per POST route (issue 17): GET routes, routes with their own scheme and the
  // routes that answer idempotently themselves (answerIdempotently) run no hook for it at all.
  const claimHook = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void => {
    if (!wantsIdempotency(request)) {
      done();
      return;
    }
    claimOrReplay(request, reply).then(() => {
      if (!reply.sent) done();
    }, done);
  };
  const keepHook = (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void): void => {
    if (!request.idempotency) {
      done(null, payload);
      return;
    }
    keep(request, reply, payload).then(() => done(null, payload), done);
  };
  app.addHook('onRoute', (r) => {
    const methods = [r.method].flat();
    if (!methods.includes('POST') || r.config?.ownIdempotency || r.config?.inlineIdempotency) return;
    r.preHandler = [claimHook, ...[r.preHandler ?? []].flat()] as typeof r.preHandler;
    r.onSend = [keepHook, ...[r.onSend ?? []].flat()] as typeof r.onSend;
  });
}

/**
 * Idempotency-Key inside a hot route's own handler (`config: { inlineIdempotency: true }`, POST
 * /v1/screen): the same claim, replay and keep as the hooks, without a hook on the requests that
 * send no key. `produce` gives the route's result; its reply is serialised here, by the route's own
 * serialiser, so that what is kept is exactly what is sent.
 */
export async function answerIdempotently(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, produce: () => unknown): Promise<unknown> {
  if (!wantsIdempotency(request)) return produce();
  const { claimOrReplay, keep, release } = idempotencyOf(ctx);
  await claimOrReplay(request, reply);
  if (reply.sent) return reply;
  let payload: string;
  try {
    payload = reply.serialize(await produce()) as string;
  } catch (err) {
    await release(request);
    throw err;
  }
  reply.type('application/json; charset=utf-8');
  await keep(request, reply, payload);
  return reply.send(payload);
}
