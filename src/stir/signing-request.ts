import { randomUUID } from 'node:crypto';
import { canonicaliseTn } from './canonical-tn.js';
import type { Signer } from './create-signer.js';
import { buildServiceException, isPlainObject, readJsonBody } from './atis-82.js';
import type { AtisResponse, ServiceExceptionBody, SigningResponseBody } from './atis-82.js';
import { traceSigned } from './traceback.js';
import type { Attestation, PassportPayload, TraceRecord } from './types.js';

export interface SigningOutcome extends AtisResponse<SigningResponseBody | ServiceExceptionBody> {
  /** Present on success: the origid used (generated when the request had none), for the call record. */
  origid?: string;
  trace?: TraceRecord;
}

const ALLOWED = new Set(['attest', 'dest', 'iat', 'orig', 'origid']);
const TN = /^[0-9*#]{1,32}$/;

function invalid(name: string, why: string): SigningOutcome {
  return buildServiceException('invalidParameter', [name, why]);
}

function readTn(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const tn = canonicaliseTn(value);
  return TN.test(tn) ? tn : undefined;
}

/**
 * STI-AS `POST /stir/v1/signing` (ATIS-1000082): `{"signingRequest":{attest,dest,iat,orig,origid?}}`
 * → `{"signingResponse":{"identity":"…"}}`. `now` is epoch milliseconds. The route only has to send
 * `status` and `body` and store `trace`.
 */
export function handleSigningRequest(body: unknown, signer: Signer | undefined, now: number): SigningOutcome {
  if (signer === undefined) return buildServiceException('internal', ['no signing credentials are configured']);
  const parsed = readJsonBody(body);
  if (!parsed.ok) return parsed.response;
  if (!isPlainObject(parsed.value)) return buildServiceException('parseError', ['the body is not a JSON object']);
  const request = parsed.value.signingRequest;
  if (request === undefined) return buildServiceException('missingParameter', ['signingRequest']);
  if (!isPlainObject(request)) return invalid('signingRequest', 'not an object');
  for (const key of Object.keys(request)) if (!ALLOWED.has(key)) return invalid(key, 'unknown parameter');
  for (const key of ['attest', 'dest', 'iat', 'orig'] as const) {
    if (request[key] === undefined) return buildServiceException('missingParameter', [key]);
  }
  const attest = typeof request.attest === 'string' ? request.attest.toUpperCase() : undefined;
  if (attest !== 'A' && attest !== 'B' && attest !== 'C') return invalid('attest', 'not A, B or C');
  const { iat } = request;
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat) || iat < 0) return invalid('iat', 'not a NumericDate');
  // A token signed with an iat the verifier will call stale (RFC 8224 §6.2.1) is of no use; say so.
  if (Math.abs(Math.floor(now / 1000) - iat) > 60) return invalid('iat', "more than 60 s from the server's clock");
  if (!isPlainObject(request.orig)) return invalid('orig', 'not an object');
  const orig = readTn(request.orig.tn);
  if (orig === undefined) return invalid('orig', "'tn' is not a telephone number");
  if (!isPlainObject(request.dest)) return invalid('dest', 'not an object');
  const destTn = request.dest.tn;
  if (!Array.isArray(destTn) || destTn.length === 0) return invalid('dest', "'tn' is not a non-empty array");
  const dest: string[] = [];
  for (const value of destTn) {
    const tn = readTn(value);
    if (tn === undefined) return invalid('dest', "'tn' holds a value that is not a telephone number");
    dest.push(tn);
  }
  let origid: string;
  if (request.origid === undefined || request.origid === '') origid = randomUUID();
  else if (typeof request.origid === 'string' && request.origid.length <= 128) origid = request.origid;
  else return invalid('origid', 'not a string of at most 128 characters');

  const payload: PassportPayload = { attest: attest as Attestation, dest: { tn: dest }, iat, orig: { tn: orig }, origid };
  return {
    status: 200,
    body: { signingResponse: { identity: signer.signIdentity(payload) } },
    origid,
    trace: traceSigned(payload, signer.spc, signer.x5u, now),
  };
}
