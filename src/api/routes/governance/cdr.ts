import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { CallshieldError } from '../../../errors.js';
import { MAX_CDR_BODY, analyseCdrText } from '../../../operations/governance/cdr.js';
import { listStreams } from '../../../operations/governance/cdr-stream.js';
import { created, ok } from '../schemas.js';
import * as R from './responses.js';
import { textBody } from '../../text-guard.js';

export async function governanceCdrRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, textBody);
  app.post<{ Body: string; Querystring: { utcOffsetMinutes?: string } }>(
    '/v1/cdr',
    {
      bodyLimit: MAX_CDR_BODY,
      config: { permission: 'cdr.upload' },
      schema: {
        tags: ['governance'],
        summary: 'Analyse a batch of call detail records (text/csv: caller,callee,start,duration,answered,attestation); flags robocall and harassment patterns',
        description: 'Malformed lines are reported with their line numbers while the rest is analysed. Large files: `callshield import cdr FILE`.',
        querystring: { type: 'object', additionalProperties: false, properties: { utcOffsetMinutes: { type: 'string', pattern: '^-?\\d{1,3}$' } } },
        response: created(R.postCdr201),
      },
    },
    async (request, reply) => {
      if (typeof request.body !== 'string') {
        throw new CallshieldError('REQUEST_UNSUPPORTED_MEDIA_TYPE', 'send the records as text/csv', { field: 'content-type' });
      }
      const offset = request.query.utcOffsetMinutes === undefined ? undefined : Number(request.query.utcOffsetMinutes);
      return reply.code(201).send(await analyseCdrText(ctx, request.body, request.actor, offset === undefined ? {} : { utcOffsetMinutes: offset }));
    },
  );
  app.get(
    '/v1/cdr/streams',
    {
      config: { permission: 'cdr.streams.read' },
      schema: {
        tags: ['governance'],
        summary: 'Progress of the streamed call-record consumers (serve --cdr-nats): records, callers and flags as of each last checkpoint',
        response: ok(R.getCdrStreams200),
      },
    },
    async () => ({ items: await listStreams(ctx) }),
  );
}
