// POST /v1/screen beside fastify's request pipeline (issue 17, BENCHMARKS.md "Screening"). A plain
// screening request of a working client (a cached key, a JSON body, no Identity header to verify, no
// Idempotency-Key) is answered here, from the http server's 'request' event, by the same steps the
// route runs: the rate limit, screen(), the decisions and request counters, the reader's language,
// the route's own body validator and reply serialiser (fastify compiled both, with its options).
// What costs the time is what fastify does around them for every request (request and reply objects,
// hooks, the content-type parser, the promise of an async handler): the route's work itself is small.
//
// Eligibility is decided before a byte of the body is read; a request that is not eligible goes to
// fastify's own listener untouched. After the body is read, any deviation from the plain case (bad
// JSON, an invalid field, a NUL character, identity, the rate limit, screen() refusing the call)
// hands the request, its body as it came, to fastify through app.inject and copies the answer:
// nothing was counted or done by then, so fastify's answer is exactly what it would have been.
import { performance } from 'node:perf_hooks';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';
import { allows } from '../auth/index.js';
import type { Actor } from '../operations/actor.js';
import { screen } from '../operations/screening/screen.js';
import type { ScreenInput } from '../operations/screening/screen.js';
import { catalogue } from '../errors.js';
import { bearerKey } from './auth.js';
import type { KeyResolver } from './auth.js';
import { inLanguageNamed, namedLocale } from './locale.js';
import type { Metrics } from './metrics.js';
import { problemType } from './problem.js';
import { memoisedReply } from './screen-reply-memo.js';
import type { RateLimiter } from './rate-limit.js';
import { decision, singleCall } from './routes/screening/screen.js';

const ROUTE = '/v1/screen';
const JSON_TYPE = /^application\/json(?:;\s*charset=utf-8)?$/i;
const LENGTH = /^\d{1,10}$/;
// Headers Node writes itself on the real response; the injected one has its own.
const NOT_COPIED = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

export interface ScreenFastPathDeps {
  ctx: AppContext;
  metrics: Metrics;
  resolve: KeyResolver;
  limiter: RateLimiter;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Installs the fast path (call before app.ready()). `routeScope` is the instance POST /v1/screen was
 * registered in: its validator and serialiser compilers are the ones fastify used for the route.
 * Not installed when config.screenFastPath is off or the rate limit is counted in Redis (the count
 * there is asynchronous; those requests keep fastify's path).
 */
export function installScreenFastPath(app: FastifyInstance, routeScope: FastifyInstance, deps: ScreenFastPathDeps): void {
  const { ctx, limiter } = deps;
  const ownCount = limiter.local;
  if (!ctx.config.screenFastPath || ownCount === undefined) return;
  // Once fastify closes it answers new requests with 503 itself; from then on everything goes there.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onReady', (done) => {
    const validate = routeScope.validatorCompiler!({ schema: singleCall, method: 'POST', url: ROUTE, httpPart: 'body' });
    const serialize = routeScope.serializerCompiler!({ schema: decision, method: 'POST', url: ROUTE, httpStatus: '200' });
    // Only app.server: the extra servers fastify opens when it listens on "localhost" (one per
    // address) keep fastify's listener, which answers the same, only slower.
    const server = app.server;
    const fastify = server.listeners('request')[0] as Listener;
    server.removeListener('request', fastify);
    const answer = answerer(app, deps, ownCount, (body) => validate(body) === true, serialize as (d: unknown) => string);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const actor = closing ? undefined : eligibleActor(req, deps.resolve, ctx.config.bodyLimit);
      if (actor === undefined) fastify.call(server, req, res);
      else answer(req, res, actor);
    });
    done();
  });
}

/** The actor of a plain screening request, decided from its request line and headers; else undefined (fastify's path). */
function eligibleActor(req: IncomingMessage, resolve: KeyResolver, bodyLimit: number): Actor | undefined {
  if (req.method !== 'POST' || req.url !== ROUTE) return undefined;
  const h = req.headers;
  if (h['idempotency-key'] !== undefined || h['transfer-encoding'] !== undefined) return undefined;
  if (h['content-encoding'] !== undefined || h.expect !== undefined) return undefined;
  const type = h['content-type'];
  if (type === undefined || !JSON_TYPE.test(type)) return undefined;
  const length = h['content-length'];
  if (length === undefined || !LENGTH.test(length) || Number(length) > bodyLimit) return undefined;
  const key = bearerKey(h.authorization);
  if (key === undefined) return undefined;
  let actor: Actor | undefined;
  try {
    actor = resolve.cached?.(key);
  } catch {
    return undefined; // a revoked or expired key: fastify answers the 401
  }
  return actor !== undefined && actor.keyId !== undefined && allows(actor.role, 'screen') ? actor : undefined;
}

type Answer = (req: IncomingMessage, res: ServerResponse, actor: Actor) => void;

function answerer(
  app: FastifyInstance,
  deps: ScreenFastPathDeps,
  ownCount: NonNullable<RateLimiter['local']>,
  valid: (body: unknown) => boolean,
  serialize: (d: unknown) => string,
): Answer {
  const { ctx, metrics } = deps;
  const debugging = ctx.logger.isLevelEnabled('debug');
  const handOver = handOverTo(app, ctx);
  const answered = metrics.fastAnswerCounter(ROUTE, 'POST', 200);
  const reply = memoisedReply(serialize);

  const respond = (req: IncomingMessage, res: ServerResponse, actor: Actor, raw: Buffer, started: number): void => {
    const body = plainCall(raw, valid);
    if (body === undefined || !ownCount.admits(actor.keyId!)) return handOver(req, res, raw);
    let result;
    try {
      result = screen(ctx, body, actor.orgId);
    } catch {
      return handOver(req, res, raw); // fastify runs it again and answers the problem document
    }
    // Committed: from here on this request is answered here, and counted here once.
    ownCount.count(actor.keyId!);
    metrics.countDecision(result.action, body.channel);
    const header = req.headers['accept-language'];
    const named = namedLocale(header);
    const payload = reply(inLanguageNamed(header, result));
    // The headers fastify's reply carries, in its order (protect's hook sets the language pair first).
    res.writeHead(200, {
      'content-language': named ?? 'en',
      vary: 'Accept-Language',
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(payload)),
    });
    res.end(payload);
    const seconds = (performance.now() - started) / 1000;
    answered(seconds);
    if (debugging) ctx.logger.debug({ route: ROUTE, status: 200, ms: seconds * 1000 }, 'request');
  };

  return (req, res, actor) => {
    const started = performance.now();
    // By the time a microtask runs, the parser has usually pushed the whole body of this TCP read
    // (a client writes headers and a small body at once): then it is taken as it is, without the
    // stream's flowing mode, its 'data' and 'end' events and their two ticks (about 1.5 µs of ~42).
    queueMicrotask(() => {
      const whole = Number(req.headers['content-length']);
      const raw = whole > 0 && req.readableFlowing === null && req.readableLength === whole ? (req.read() as Buffer | null) : null;
      if (raw !== null) return respond(req, res, actor, raw, started);
      readWhole(req, res, (body) => respond(req, res, actor, body, started));
    });
  };
}

/** The body as it streams in, for a request whose body was not all there at once. */
function readWhole(req: IncomingMessage, res: ServerResponse, then: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => then(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
  // The client went away before its body was complete: there is no one to answer.
  req.on('error', () => res.destroy());
}

/**
 * The call in a body that fastify would take as it is, else undefined: JSON that parses, holds no
 * NUL escape (text-guard.ts), decodes without a replaced byte (fastify decodes as it reads; any
 * doubt goes to fastify), is valid against the route's schema and carries no identity to verify.
 */
function plainCall(raw: Buffer, valid: (body: unknown) => boolean): ScreenInput | undefined {
  const text = raw.toString('utf8');
  if (text.includes('\\u0000') || text.includes('\uFFFD')) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!valid(body)) return undefined;
  const call = body as ScreenInput;
  return call.identity === undefined ? call : undefined;
}

/** Answers a request whose body was read with fastify's own answer (app.inject), copied to the real response. */
function handOverTo(app: FastifyInstance, ctx: AppContext): (req: IncomingMessage, res: ServerResponse, raw: Buffer) => void {
  return (req, res, raw) => {
    const headers = req.headers as IncomingHttpHeaders & Record<string, string>;
    app
      .inject({ method: 'POST', url: req.url!, headers, payload: raw, remoteAddress: req.socket.remoteAddress ?? '127.0.0.1' })
      .then(
        (answer) => {
          if (res.destroyed) return;
          const copied: Record<string, string | string[] | number> = {};
          for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !NOT_COPIED.has(name)) copied[name] = value;
          res.writeHead(answer.statusCode, copied);
          res.end(answer.rawPayload);
        },
        (err: unknown) => {
          ctx.logger.error({ err, route: ROUTE }, 'screen fast path: handing the request to fastify failed');
          if (res.headersSent || res.destroyed) return;
          const { title } = catalogue.INTERNAL;
          const body = JSON.stringify({ type: problemType('INTERNAL'), title, status: 500, detail: title, instance: ROUTE, code: 'INTERNAL' });
          res.writeHead(500, { 'content-type': 'application/problem+json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
          res.end(body);
        },
      );
  };
}
