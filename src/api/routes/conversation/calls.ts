import type { ServerResponse } from 'node:http';
import { requestedLocale, requestLocale } from '../../locale.js';
import { localise } from '../../../i18n/render.js';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { addUtterance, endCall, getCall, scoreText, startCall, startCallSweeper, subscribeCall } from '../../../operations/conversation/calls.js';
import type { CallEvent } from '../../../operations/conversation/calls.js';
import type { Lang, Utterance } from '../../../conversation/index.js';
import { channelEnum, created, errorResponses, identifierString, ok } from '../schemas.js';
import * as R from './responses.js';

const HEARTBEAT_MS = 15_000;
const idParams = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] } as const;
const alert = {
  type: 'object',
  properties: {
    stage: { type: 'string' },
    severity: { type: 'string', enum: ['info', 'warning', 'critical'] },
    evidence: { type: 'string' },
    advice: { type: 'string' },
    lang: { type: 'string' },
    turn: { type: 'integer' },
    risk: { type: 'number' },
  },
} as const;

export async function callRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const stopSweeper = startCallSweeper(ctx);
  app.addHook('onClose', async () => stopSweeper());

  app.post<{ Body: { caller: string; callee: string; channel?: string; lang?: Lang } }>(
    '/v1/calls',
    {
      config: { permission: 'calls.guard' },
      schema: {
        tags: ['conversation'],
        summary: 'Start following a call: post its utterances as the speech recogniser produces them',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['caller', 'callee'],
          properties: { caller: identifierString, callee: identifierString, channel: { type: 'string', enum: channelEnum }, lang: { type: 'string', enum: ['zh', 'en'] } },
        },
        response: created(R.postCalls201),
      },
    },
    async (request, reply) => reply.code(201).send(startCall(ctx, request.body, request.actor)),
  );

  app.post<{ Params: { id: string }; Body: Utterance }>(
    '/v1/calls/:id/utterances',
    {
      config: { permission: 'calls.guard' },
      schema: {
        tags: ['conversation'],
        summary: "One utterance; returns the call's risk, the script stages seen and any new alert",
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['speaker', 'text'],
          properties: { speaker: { type: 'string', enum: ['caller', 'callee'] }, text: { type: 'string' }, at: { type: 'string', format: 'date-time' } },
        },
        response: {
          200: {
            type: 'object',
            required: ['risk', 'stages', 'alerts', 'truncated', 'turn', 'threshold'],
            properties: { risk: { type: 'number' }, stages: { type: 'array', items: { type: 'string' } }, alerts: { type: 'array', items: alert }, truncated: { type: 'boolean' }, turn: { type: 'integer' }, threshold: { type: 'number' } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => addUtterance(ctx, request.params.id, request.body, request.actor),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/calls/:id',
    { config: { permission: 'calls.guard' }, schema: { tags: ['conversation'], summary: "A call's risk, stages and alerts so far", params: idParams, response: ok(R.callSummary) } },
    async (request) => getCall(ctx, request.params.id, request.actor),
  );

  app.post<{ Params: { id: string } }>(
    '/v1/calls/:id/end',
    { config: { permission: 'calls.guard' }, schema: { tags: ['conversation'], summary: 'End the call and get its summary', params: idParams, response: ok(R.callSummary) } },
    async (request) => endCall(ctx, request.params.id, request.actor),
  );

  // Open event streams end when the server shuts down (before it waits for connections to close):
  // a `shutdown` event tells the client to reconnect to another node.
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const raw of streams) {
      if (!raw.writableEnded) raw.end('event: shutdown\ndata: {}\n\n');
    }
    streams.clear();
  });
  app.get<{ Params: { id: string } }>(
    '/v1/calls/:id/events',
    {
      config: { permission: 'calls.guard' },
      schema: {
        tags: ['conversation'],
        summary: "Server-Sent Events: the call's alerts as they happen (past alerts first), risk updates, and the end",
        description: 'Events: `alert` (an Alert), `risk` ({risk, stages, turn}), `end` (the call summary; the stream then closes). A comment line every 15 s keeps proxies from closing the stream.',
        params: idParams,
        response: { 200: { description: 'The event stream (text/event-stream, UTF-8)', content: { 'text/event-stream': { schema: R.eventStream } } }, ...errorResponses },
      },
    },
    async (request, reply) => {
      // The stream is written by hand (hijacked), so the reader's language is applied here.
      const locale = requestedLocale(request);
      const write = (e: CallEvent): void => {
        const raw = e.type === 'alert' ? e.alert : e.type === 'end' ? e.summary : { risk: e.risk, stages: e.stages, turn: e.turn };
        const data = locale === undefined ? raw : localise(raw, locale);
        reply.raw.write(`event: ${e.type}\ndata: ${JSON.stringify(data)}\n\n`);
        if (e.type === 'end') reply.raw.end();
      };
      const { past, unsubscribe } = subscribeCall(ctx, request.params.id, request.actor, write);
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no', 'content-language': requestLocale(request), vary: 'Accept-Language' });
      reply.raw.flushHeaders(); // a client waiting for the response must not wait for the first event
      for (const a of past) write({ type: 'alert', alert: a });
      const heartbeat = setInterval(() => reply.raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      streams.add(reply.raw);
      // A client that disconnects leaves nothing behind: no listener, no timer.
      reply.raw.on('close', () => {
        streams.delete(reply.raw);
        clearInterval(heartbeat);
        unsubscribe();
      });
    },
  );

  app.post<{ Body: { text: string; lang?: Lang } }>(
    '/v1/messages/score',
    {
      config: { permission: 'messages.score' },
      schema: {
        tags: ['conversation'],
        summary: 'Score one SMS or chat message with the same detector',
        body: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string' }, lang: { type: 'string', enum: ['zh', 'en'] } } },
        response: ok(R.postMessagesScore),
      },
    },
    async (request) => scoreText(ctx, request.body),
  );
}
