import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { AppContext } from '../app-context.js';
import { cdrConnectionStates } from '../operations/governance/cdr-stream.js';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { CallshieldError, catalogue } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { PERMISSIONS } from '../auth/index.js';
import type { Permission } from '../auth/index.js';
import { bearerKey, createKeyResolver, protect } from './auth.js';
import { setUpRateLimit } from './rate-limit.js';
import { refuseNulInJson } from './text-guard.js';
import { idempotency } from './idempotency.js';
import { createMetrics } from './metrics.js';
import type { Metrics } from './metrics.js';
import { classify, problemType, sendProblem } from './problem.js';
import { screenRoutes } from './routes/screening/screen.js';
import { installScreenFastPath } from './screen-fast-path.js';
import { reportRoutes } from './routes/reputation/reports.js';
import { listRoutes } from './routes/reputation/lists.js';
import { identifierRoutes } from './routes/reputation/identifiers.js';
import { rangeRoutes } from './routes/reputation/range.js';
import { blocklistPublicRoutes, blocklistRoutes } from './routes/blocklist/routes.js';
import { policyRoutes } from './routes/screening/policies.js';
import { appealRoutes } from './routes/reputation/appeals.js';
import { burstRoutes } from './routes/reputation/bursts.js';
import { auditRoutes } from './routes/audit/routes.js';
import { orgRoutes } from './routes/orgs.js';
import { consoleRoutes } from './routes/console.js';
import { latestChangeSeq } from '../store/changes.js';
import { languageHeaders, speakTheReadersLanguage } from './locale.js';

export interface RouteInfo {
  method: string;
  url: string;
  permission: Permission;
}

export interface Server {
  app: FastifyInstance;
  metrics: Metrics;
  /** Every protected route and what it needs: the role × endpoint table. */
  routes: RouteInfo[];
}

/** Extra route families (STIR, conversation, payments, ...) register here without touching this file's core. */
export type RoutePlugin = (app: FastifyInstance, opts: { ctx: AppContext; metrics: Metrics }) => Promise<void>;

export async function buildServer(ctx: AppContext, extra: RoutePlugin[] = []): Promise<Server> {
  const app = Fastify({
    loggerInstance: ctx.logger as unknown as FastifyBaseLogger,
    // Per-request logs go through our onResponse hook (debug level), off the hot path by default.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: ctx.config.bodyLimit,
    requestIdHeader: 'x-request-id',
    // Path parameters are documented up to 512 characters (identifiers); percent-encoding can make
    // one up to 3× longer on the wire. The schemas do the real length check; past this the router
    // answers 414 (a problem document, see frameworkErrors).
    routerOptions: { maxParamLength: MAX_RAW_PARAM },
    // The router's own errors (a malformed URL, a path parameter too long) as problem documents.
    frameworkErrors: (err, request, reply) => sendProblem(reply, request, classify(err)),
    // Errors Node's HTTP parser finds before fastify sees a request (headers too large, timeouts,
    // garbage): a problem document written on the socket.
    clientErrorHandler: (err, socket) => writeClientError(err, socket),
    ajv: {
      // Reject what we do not know instead of silently dropping or converting it (shared/STYLE.md).
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false },
    },
  });
  const metrics = createMetrics();
  const routes: RouteInfo[] = [];
  const limiter = await setUpRateLimit(app, ctx.config);
  // Routes that need no key are counted by client address here; the key-protected scope counts by
  // key once the key is verified (see protect).
  // Added per route (onRoute), not as a global hook: a hook that does nothing still costs every
  // request a promise and a turn through fastify's hook runner (issue 17, BENCHMARKS.md).
  const byAddress = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    languageHeaders(request, reply);
    return limiter.byAddress(request, reply);
  };
  app.addHook('onRoute', (r) => {
    if ((r.config as { permission?: Permission } | undefined)?.permission) return;
    r.onRequest = [byAddress, ...[r.onRequest ?? []].flat()] as typeof r.onRequest;
  });

  // Response schemas are the contract (/openapi.json; the test suites check every response against
  // it), not a serialiser: fast-json-stringify would silently drop a field a schema forgot and coerce
  // types, hiding drift from clients and tests alike. Replies go out as JSON.stringify makes them,
  // except on routes that list every field and opt in with `config: { fastSerialize: true }` (the
  // screening hot path).
  app.addHook('onRoute', (r) => {
    if (!r.serializerCompiler && !(r.config as FastifyContextConfig | undefined)?.fastSerialize) r.serializerCompiler = () => plainJson;
  });

  // Which methods each route URL answers, so that a wrong method gets 405 with Allow, not 404.
  const methodsByUrl = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  app.addHook('onRoute', (r) => {
    let entry = methodsByUrl.get(r.url);
    if (!entry) methodsByUrl.set(r.url, (entry = { pattern: routePattern(r.url), methods: new Set() }));
    for (const method of [r.method].flat()) entry.methods.add(method);
  });
  // Query strings and path parameters arrive as text: numbers and booleans their schema asks for are
  // converted before validation (bodies stay strict: no coercion there, shared/STYLE.md).
  // Only on routes whose schema has a query string or path parameters (per route, see above).
  app.addHook('onRoute', (r) => {
    const { querystring, params } = r.schema ?? {};
    if (!querystring && !params) return;
    const coerce = (request: FastifyRequest, _reply: FastifyReply, done: () => void): void => {
      if (querystring) coerceToSchema(request.query, querystring);
      if (params) coerceToSchema(request.params, params);
      done();
    };
    r.preValidation = [coerce, ...[r.preValidation ?? []].flat()] as typeof r.preValidation;
  });

  app.addHook('onRoute', (r) => {
    const permission = (r.config as { permission?: Permission } | undefined)?.permission;
    if (!permission) return;
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url, permission });
  });

  // Accept-Language → Content-Language, Vary, and the texts of JSON bodies (src/api/locale.ts).
  speakTheReadersLanguage(app);

  // Callback style (no promise per request); the labelled children are kept by metrics.ts.
  const debugging = ctx.logger.isLevelEnabled('debug');
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.countRequest(route, request.method, status, reply.elapsedTime / 1000);
    if (status >= 500) request.log.error({ route, status, reqId: request.id }, 'request failed');
    else if (debugging) request.log.debug({ route, status, ms: reply.elapsedTime }, 'request');
    done();
  });

  app.setErrorHandler((err, request, reply) => {
    const problem = classify(err);
    if (problem.ours) request.log.error({ err, reqId: request.id }, 'internal error');
    else request.log.debug({ code: problem.code, field: problem.field }, 'client error');
    return sendProblem(reply, request, problem);
  });
  app.setNotFoundHandler({ preHandler: byAddress }, (request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = new Set<string>();
    for (const { pattern, methods } of methodsByUrl.values()) if (pattern.test(path)) for (const m of methods) allowed.add(m);
    if (allowed.size > 0 && !allowed.has(request.method)) {
      const allow = [...allowed].sort().join(', ');
      reply.header('allow', allow);
      return sendProblem(reply, request, new CallshieldError('REQUEST_METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; allowed: ${allow}`));
    }
    return sendProblem(reply, request, new CallshieldError('REQUEST_NOT_FOUND', `no route for ${request.method} ${path}`));
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'callshield API', version: '0.1.0', description: 'Screen calls, report callers, explain every decision. Errors are RFC 9457 problem+json.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key from `npx callshield keys create`' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/healthz', { schema: { hide: true } }, async () => {
    await ctx.db.selectFrom('meta').select('key').limit(1).execute().catch(() => {
      throw new CallshieldError('STORE_UNAVAILABLE', 'the database does not answer');
    });
    return { status: 'ok', engine: ctx.engine, identifiers: ctx.index.size, policies: ctx.policies.size };
  });
  // Liveness: the process answers. No database: a database outage must not get nodes restarted
  // (and their in-memory index, which keeps screening alive, thrown away).
  app.get('/livez', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  // Readiness: the index is loaded, the database answers and this node has applied every change-log
  // entry that existed when asked (it catches up on the spot). Otherwise 503, a problem document.
  // While a full reload runs (this node missed pruned change-log entries) it answers 503 with
  // changes "reloading"; `reloads` and `lastReloadAt` say afterwards that one happened.
  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    const checks: Record<string, string> = { index: 'loaded' };
    // Call-record streams this node consumes: shown, not gating (the API serves while NATS is away).
    for (const [name, c] of cdrConnectionStates(ctx)) checks[`cdrStream:${name}`] = c.state;
    const log = ctx.changeLog();
    const reloads = { reloads: log.reloads, ...(log.lastReloadAt ? { lastReloadAt: log.lastReloadAt } : {}) };
    if (log.reloading) {
      return sendProblem(reply, request, new CallshieldError('STORE_NOT_READY', 'this node is reloading its indexes in full', { extra: { checks: { ...checks, changes: 'reloading' }, ...reloads } }));
    }
    try {
      const latest = await latestChangeSeq(ctx.db);
      checks.database = 'ok';
      if (ctx.appliedChangeSeq() < latest) await ctx.applyChanges();
      checks.changes = ctx.appliedChangeSeq() >= latest ? 'caught-up' : `behind (${ctx.appliedChangeSeq()} of ${latest})`;
    } catch (err) {
      checks.database ??= 'unavailable';
      checks.changes ??= 'unknown';
      request.log.debug({ err: String(err) }, 'readiness: store unavailable');
    }
    if (checks.database === 'ok' && checks.changes === 'caught-up') return { status: 'ok', checks, identifiers: ctx.index.size, ...reloads };
    return sendProblem(reply, request, new CallshieldError('STORE_NOT_READY', 'this node is not ready to serve', { extra: { checks, ...reloads } }));
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  const resolve = createKeyResolver(ctx);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    // Scrapers usually sit on a private network (CALLSHIELD_PUBLIC_METRICS=1, the default); where
    // they do not, only an admin key may read the counters.
    if (!ctx.config.publicMetrics) {
      const key = bearerKey(request.headers.authorization);
      if (!key) throw new CallshieldError('AUTH_MISSING_KEY', 'metrics need an admin key here', { field: 'authorization' });
      const actor = await resolve(key);
      if (actor.role !== 'admin') throw new CallshieldError('AUTH_FORBIDDEN', 'only an admin key may read metrics');
    }
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  await app.register(blocklistPublicRoutes, { ctx }); // the manifest verifier's key: public
  await app.register(consoleRoutes); // the web console: static files outside the key-protected scope

  let screenScope: FastifyInstance | undefined;
  await app.register(async (scope) => {
    protect(scope, resolve, limiter);
    // The API takes JSON (and CSV where a route adds its own parser): fastify's built-in text/plain
    // parser would hand a string to the JSON schema (400 "body must be object") instead of a 415.
    scope.removeContentTypeParser('text/plain');
    refuseNulInJson(scope);
    idempotency(scope, ctx);
    // The screening routes' own instance: the fast path uses the compilers fastify used for them.
    await scope.register(async (own) => {
      screenScope = own;
      await screenRoutes(own, { ctx, metrics });
    });
    for (const plugin of [reportRoutes, listRoutes, identifierRoutes, rangeRoutes, blocklistRoutes, policyRoutes, appealRoutes, burstRoutes, auditRoutes, orgRoutes, ...extra]) {
      await scope.register(plugin, { ctx, metrics });
    }
  });
  installScreenFastPath(app, screenScope!, { ctx, metrics, resolve, limiter });
  await app.ready();
  return { app, metrics, routes };
}

const plainJson = (data: unknown): string => JSON.stringify(data);

/** The longest raw (percent-encoded) path parameter the router takes: 512 characters, encoded. */
export const MAX_RAW_PARAM = 512 * 3;

/** A route URL ("/v1/identifiers/:id", "/docs/static/*") → a pattern for concrete paths. */
function routePattern(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((seg) => (seg === '*' ? '.*' : seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}

type JsonSchemaLike = { type?: string | string[]; properties?: Record<string, JsonSchemaLike> };

/** Text values of a query string or path → the number or boolean the schema's property asks for. */
function coerceToSchema(values: unknown, schema: unknown): void {
  const props = (schema as JsonSchemaLike).properties;
  if (!props || !values || typeof values !== 'object') return;
  const target = values as Record<string, unknown>;
  for (const [name, prop] of Object.entries(props)) {
    const v = target[name];
    if (typeof v !== 'string') continue;
    const types = [prop.type ?? []].flat();
    if (types.includes('string')) continue;
    if ((types.includes('integer') || types.includes('number')) && /^-?\d+(?:\.\d+)?$/.test(v)) target[name] = Number(v);
    else if (types.includes('boolean') && (v === 'true' || v === 'false')) target[name] = v === 'true';
  }
}

const CLIENT_ERRORS: Record<string, [number, ErrorCode]> = {
  HPE_HEADER_OVERFLOW: [431, 'REQUEST_HEADERS_TOO_LARGE'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT'],
};

/** A problem document straight on the socket, for requests Node's parser refused. */
function writeClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'REQUEST_INVALID' as ErrorCode];
  const body = JSON.stringify({ type: problemType(code), title: catalogue[code].title, status, detail: catalogue[code].title, code });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/problem+json\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

export { PERMISSIONS };
