// Rate limits (CALLSHIELD_RATE_LIMIT requests per second): per API key once the key is verified,
// and per client address for what comes before that (requests whose key this node must look up in
// the store, so a flood of made-up keys cannot hammer the database; and the routes that need no
// key). Counting is @fastify/rate-limit's: in Redis when CALLSHIELD_REDIS_URL is set, so every node
// shares one count, otherwise in this node's memory. While Redis does not answer, each node counts
// alone instead of not counting at all. Excess is 429 problem+json with Retry-After.
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { CallshieldError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The bucket this request is counted in ("key:<id>" or "ip:<address>"). */
    rateLimitKey: string;
  }
}

export interface RateLimiter {
  /** Counts a request of a verified key; throws REQUEST_RATE_LIMITED past the limit. */
  byKey(request: FastifyRequest, reply: FastifyReply, keyId: string): Promise<void>;
  /** Counts a request by its client address (before a key is verified, or on routes without one). */
  byAddress(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

type Limit = ReturnType<FastifyInstance['createRateLimit']>;

const WINDOW_MS = 1000;
const NOT_LIMITED: RateLimiter = { byKey: async () => {}, byAddress: async () => {} };

async function limiterIn(app: FastifyInstance, config: Config, redis?: Redis): Promise<Limit> {
  let limit: Limit | undefined;
  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      global: false,
      max: config.rateLimit,
      timeWindow: WINDOW_MS,
      keyGenerator: (request) => request.rateLimitKey,
      cache: 20_000,
      skipOnError: false,
      ...(redis ? { redis, nameSpace: 'callshield-rate-' } : {}),
    });
    limit = scope.createRateLimit();
  });
  return limit!;
}

/** Sets up the limiter on the root instance, before any route. */
export async function setUpRateLimit(app: FastifyInstance, config: Config): Promise<RateLimiter> {
  if (config.rateLimit === 0) return NOT_LIMITED;
  app.decorateRequest('rateLimitKey', '');
  const local = await limiterIn(app, config);
  let shared: Limit | undefined;
  let redis: Redis | undefined;
  if (config.redisUrl) {
    // No offline queue: while Redis is away a count fails at once and this node counts alone.
    redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000, commandTimeout: 500 });
    let warned = 0;
    redis.on('error', (err: Error) => {
      if (Date.now() - warned < 60_000) return;
      warned = Date.now();
      app.log.warn({ err: err.message }, 'rate limit: Redis does not answer; each node counts alone meanwhile');
    });
    shared = await limiterIn(app, config, redis);
    const client = redis;
    app.addHook('onClose', async () => {
      client.disconnect();
    });
  }

  const count = async (request: FastifyRequest, reply: FastifyReply, bucket: string): Promise<void> => {
    request.rateLimitKey = bucket;
    let r;
    if (shared && redis!.status === 'ready') {
      try {
        r = await shared(request);
      } catch {
        r = await local(request);
      }
    } else {
      r = await local(request);
    }
    if (r.isAllowed || !r.isExceeded) return;
    const seconds = Math.max(1, r.ttlInSeconds);
    reply.header('retry-after', String(seconds));
    reply.header('ratelimit-limit', String(r.max));
    throw new CallshieldError('REQUEST_RATE_LIMITED', `more than ${r.max} requests a second ${bucket.startsWith('key:') ? 'with this key' : 'from this address'}; retry after ${seconds} s`);
  };
  return {
    byKey: (request, reply, keyId) => count(request, reply, `key:${keyId}`),
    // IPv6 clients are counted by /64, as the plugin does: one host may use a whole prefix.
    byAddress: (request, reply) => count(request, reply, `ip:${normalizeIP(request.ip)}`),
  };
}
