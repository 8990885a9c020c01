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
  /**
   * Counts a request of a verified key; throws REQUEST_RATE_LIMITED past the limit. Counted on this
   * node alone it answers at once (undefined); through Redis it returns a promise.
   */
  byKey(request: FastifyRequest, reply: FastifyReply, keyId: string): Promise<void> | undefined;
  /** Counts a request by its client address (before a key is verified, or on routes without one). */
  byAddress(request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined;
  /**
   * This node's own count of a verified key, for requests answered outside fastify's pipeline (src/api/
   * screen-fast-path.ts): `admits` says whether byKey would let the key's next request through,
   * counting nothing; `count` counts it. A request that would be refused goes through fastify instead,
   * whose byKey counts and refuses it, so that every request is counted once. Absent while counts are
   * shared through Redis.
   */
  readonly local?: { admits(keyId: string): boolean; count(keyId: string): void };
}

/**
 * This node's own count: a fixed one-second window per bucket, as @fastify/rate-limit's local store
 * keeps it, but synchronous (no promise and no LRU bookkeeping per request on the hot path).
 * At most `capacity` buckets: past it, finished windows are dropped, then everything if need be.
 */
export class WindowCounter {
  private readonly buckets = new Map<string, { resetAt: number; count: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly capacity: number,
  ) {}

  /** Undefined when allowed; else the seconds until the window ends. */
  hit(bucket: string, now: number): number | undefined {
    let b = this.buckets.get(bucket);
    if (b === undefined || b.resetAt <= now) {
      if (b === undefined && this.buckets.size >= this.capacity) this.evict(now);
      b = { resetAt: now + this.windowMs, count: 0 };
      this.buckets.set(bucket, b);
    }
    b.count++;
    return b.count > this.max ? Math.max(1, Math.ceil((b.resetAt - now) / 1000)) : undefined;
  }

  /** Whether hit() would allow the bucket's next request now; counts nothing. */
  admits(bucket: string, now: number): boolean {
    const b = this.buckets.get(bucket);
    return b === undefined || b.resetAt <= now || b.count < this.max;
  }

  private evict(now: number): void {
    for (const [k, v] of this.buckets) if (v.resetAt <= now) this.buckets.delete(k);
    if (this.buckets.size >= this.capacity) this.buckets.clear();
  }
}

type Limit = ReturnType<FastifyInstance['createRateLimit']>;

const WINDOW_MS = 1000;
const NOT_LIMITED: RateLimiter = { byKey: () => undefined, byAddress: () => undefined, local: { admits: () => true, count: () => undefined } };

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
  const local = new WindowCounter(config.rateLimit, WINDOW_MS, 20_000);
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

  const refuse = (reply: FastifyReply, bucket: string, seconds: number, max: number): never => {
    reply.header('retry-after', String(seconds));
    reply.header('ratelimit-limit', String(max));
    throw new CallshieldError('REQUEST_RATE_LIMITED', `more than ${max} requests a second ${bucket.startsWith('key:') ? 'with this key' : 'from this address'}; retry after ${seconds} s`);
  };
  const countLocally = (reply: FastifyReply, bucket: string): undefined => {
    const wait = local.hit(bucket, Date.now());
    if (wait !== undefined) refuse(reply, bucket, wait, config.rateLimit);
    return undefined;
  };
  const countShared = async (request: FastifyRequest, reply: FastifyReply, bucket: string): Promise<void> => {
    let r;
    try {
      r = await shared!(request);
    } catch {
      countLocally(reply, bucket);
      return;
    }
    if (r.isAllowed || !r.isExceeded) return;
    refuse(reply, bucket, Math.max(1, r.ttlInSeconds), r.max);
  };
  const count = (request: FastifyRequest, reply: FastifyReply, bucket: string): Promise<void> | undefined => {
    request.rateLimitKey = bucket;
    if (shared && redis!.status === 'ready') return countShared(request, reply, bucket);
    return countLocally(reply, bucket);
  };
  const ownCount = {
    admits: (keyId: string): boolean => local.admits(`key:${keyId}`, Date.now()),
    count: (keyId: string): void => void local.hit(`key:${keyId}`, Date.now()),
  };
  return {
    byKey: (request, reply, keyId) => count(request, reply, `key:${keyId}`),
    // IPv6 clients are counted by /64, as the plugin does: one host may use a whole prefix.
    byAddress: (request, reply) => count(request, reply, `ip:${normalizeIP(request.ip)}`),
    ...(shared ? {} : { local: ownCount }),
  };
}
