import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { catalogue, CallshieldError, isCallshieldError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import { problemTexts } from '../i18n/render.js';
import { languageHeaders, requestLocale } from './locale.js';

export const PROBLEM_TYPE_BASE = 'https://callshield.dev/problems/';

export function problemType(code: ErrorCode): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replaceAll('_', '-');
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  field?: string;
  requestId: string;
  [extra: string]: unknown;
}

/** The problem document of an error, its title and detail in the request's language (Accept-Language). */
export function toProblem(err: CallshieldError, request: FastifyRequest): Problem {
  const { title, detail } = problemTexts(err, requestLocale(request));
  return {
    type: problemType(err.code),
    title,
    status: err.status,
    detail,
    instance: request.url.split('?')[0] ?? request.url,
    code: err.code,
    ...(err.field ? { field: err.field } : {}),
    ...(err.extra ?? {}),
    requestId: String(request.id),
  };
}

/** Ajv's report → the field at fault, as a dotted path ("calls.3.caller"). */
function fieldOfValidation(err: FastifyError): { field: string; unknown: boolean; message: string } {
  const v = err.validation?.[0];
  if (!v) return { field: 'body', unknown: false, message: err.message };
  const base = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const params = v.params as { additionalProperty?: string; missingProperty?: string };
  if (v.keyword === 'additionalProperties' && params.additionalProperty) {
    const field = base ? `${base}.${params.additionalProperty}` : params.additionalProperty;
    return { field, unknown: true, message: `unknown field "${field}"` };
  }
  if (v.keyword === 'required' && params.missingProperty) {
    const field = base ? `${base}.${params.missingProperty}` : params.missingProperty;
    return { field, unknown: false, message: `${field} is required` };
  }
  const field = base || (err.validationContext ?? 'body');
  return { field, unknown: false, message: `${field} ${v.message ?? 'is not valid'}` };
}

/** The catalogue's code for each client-error status a framework part may raise. */
const CLIENT_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'REQUEST_INVALID',
  403: 'REQUEST_FORBIDDEN',
  404: 'REQUEST_NOT_FOUND',
  405: 'REQUEST_METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  409: 'REQUEST_CONFLICT',
  412: 'REQUEST_PRECONDITION_FAILED',
  413: 'REQUEST_BODY_TOO_LARGE',
  414: 'REQUEST_URI_TOO_LONG',
  415: 'REQUEST_UNSUPPORTED_MEDIA_TYPE',
  416: 'REQUEST_RANGE_NOT_SATISFIABLE',
  429: 'REQUEST_RATE_LIMITED',
  431: 'REQUEST_HEADERS_TOO_LARGE',
};

/** Any error → a CallshieldError from the catalogue (fastify's own errors included). */
export function classify(err: unknown): CallshieldError {
  if (isCallshieldError(err)) return err;
  const e = err as FastifyError;
  if (e?.validation) {
    const { field, unknown, message } = fieldOfValidation(e);
    const code: ErrorCode = e.validationContext === 'querystring' || e.validationContext === 'params' ? 'REQUEST_INVALID_QUERY' : unknown ? 'REQUEST_UNKNOWN_FIELD' : 'REQUEST_INVALID_BODY';
    return new CallshieldError(code, message, { field });
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new CallshieldError('REQUEST_BODY_TOO_LARGE', e.message, { field: 'body' });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new CallshieldError('REQUEST_INVALID_JSON', e.message, { field: 'body' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new CallshieldError('REQUEST_UNSUPPORTED_MEDIA_TYPE', e.message, { field: 'content-type' });
  }
  if (isStoreUnavailable(err)) return new CallshieldError('STORE_UNAVAILABLE', 'the database did not answer; try again shortly', { cause: err });
  if (e instanceof SyntaxError || (e?.statusCode === 400 && e.code?.startsWith('FST_ERR_CTP'))) return new CallshieldError('REQUEST_INVALID_JSON', e.message, { field: 'body' });
  // Any other client error a framework part raises (the static file server's 403, 412 and 416, the
  // router's 400 and 414, ...) keeps its real status: a client's mistake is never a 500.
  const status = e?.statusCode ?? (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = CLIENT_STATUS[status] ?? 'REQUEST_INVALID';
    return new CallshieldError(code, e.message || catalogue[code].title, code === 'REQUEST_BODY_TOO_LARGE' ? { field: 'body' } : code === 'REQUEST_UNSUPPORTED_MEDIA_TYPE' ? { field: 'content-type' } : {});
  }
  return new CallshieldError('INTERNAL', 'Something went wrong on our side; the request id identifies it in our logs', { cause: err });
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, err: CallshieldError): FastifyReply {
  languageHeaders(request, reply); // also for errors raised before any hook set them (the router's)
  if (err.code === 'STORE_UNAVAILABLE') reply.header('retry-after', '5');
  return reply.code(err.status).type('application/problem+json').send(toProblem(err, request));
}

export { catalogue };
