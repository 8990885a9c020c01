import { isPlainObject, buildServiceException, readJsonBody } from './atis-82.js';
import type { AtisResponse, ServiceExceptionBody, VerificationResponseBody } from './atis-82.js';
import { REASON_TEXT } from './stir-rejection.js';
import { verifyIdentity } from './verify-identity.js';
import type { VerifyDependencies } from './verify-identity.js';
import type { TraceRecord, VerificationResult } from './types.js';

export interface VerificationOutcome extends AtisResponse<VerificationResponseBody | ServiceExceptionBody> {
  result?: VerificationResult;
  trace?: TraceRecord;
}

export function toVerificationResponse(result: VerificationResult): VerificationResponseBody {
  const response: VerificationResponseBody['verificationResponse'] = { verstat: result.verstat };
  if (result.reasonCode !== undefined) {
    response.reasoncode = result.reasonCode;
    response.reasontext = result.reasonText ?? REASON_TEXT[result.reasonCode];
    if (result.reasonDesc !== undefined) response.reasondesc = result.reasonDesc;
  }
  // Extensions beside the ATIS-1000082 members: the forwarded-call chain (RFC 8946) and the
  // signed caller name (RFC 9795), only when the token carried them.
  if (result.div !== undefined) {
    const div: Record<string, unknown> = { verstat: result.div.verstat, hops: result.div.hops.map((h) => ({ from: h.from, to: h.to })) };
    if (result.div.reasonCode !== undefined) Object.assign(div, { reasoncode: result.div.reasonCode, reasontext: result.div.reasonText, reasondesc: result.div.reasonDesc });
    response.div = div;
  }
  if (result.rcd !== undefined) response.rcd = { ...result.rcd };
  return { verificationResponse: response };
}

function invalid(name: string, why: string): VerificationOutcome {
  return buildServiceException('invalidParameter', [name, why]);
}

/**
 * STI-VS `POST /stir/v1/verification` (ATIS-1000082):
 * `{"verificationRequest":{"from":{"tn"},"to":{"tn":[…]},"time","identity"}}` →
 * `{"verificationResponse":{"verstat", "reasoncode"?, "reasontext"?, "reasondesc"?}}`.
 * Verification failures are 200 responses with a reason (cases E3–E19); only malformed requests
 * get a requestError. `now` is epoch milliseconds.
 */
export async function handleVerificationRequest(body: unknown, deps: VerifyDependencies, now: number): Promise<VerificationOutcome> {
  const parsed = readJsonBody(body);
  if (!parsed.ok) return parsed.response;
  if (!isPlainObject(parsed.value)) return buildServiceException('parseError', ['the body is not a JSON object']);
  const request = parsed.value.verificationRequest;
  if (request === undefined) return buildServiceException('missingParameter', ['verificationRequest']);
  if (!isPlainObject(request)) return invalid('verificationRequest', 'not an object');
  // ATIS-1000082 E1: every member is mandatory.
  for (const key of ['to', 'from', 'time', 'identity'] as const) {
    if (request[key] === undefined) return buildServiceException('missingParameter', [key]);
  }
  for (const key of Object.keys(request)) if (!['to', 'from', 'time', 'identity'].includes(key)) return invalid(key, 'unknown parameter');
  // E2: shapes.
  if (!isPlainObject(request.from) || typeof request.from.tn !== 'string' || request.from.tn.length < 1) return invalid('from', "'tn' is not a string");
  const toTn = isPlainObject(request.to) ? request.to.tn : undefined;
  if (!Array.isArray(toTn) || toTn.length === 0 || !toTn.every((t): t is string => typeof t === 'string' && t.length > 0)) {
    return invalid('to', "'tn' is not a non-empty array of strings");
  }
  const { time, identity } = request;
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 1) return invalid('time', 'not a NumericDate');
  if (typeof identity !== 'string' || identity.length === 0) return invalid('identity', 'not a non-empty string');
  // E3: the request itself must be fresh.
  if (Math.abs(Math.floor(now / 1000) - time) > 60) {
    const result: VerificationResult = {
      verstat: 'No-TN-Validation',
      reasonCode: 403,
      reasonText: REASON_TEXT[403],
      reasonDesc: "Received 'time' value is not fresh.",
    };
    return { status: 200, body: toVerificationResponse(result), result };
  }
  const result = await verifyIdentity(identity, { from: request.from.tn, to: toTn, now }, deps);
  const outcome: VerificationOutcome = { status: 200, body: toVerificationResponse(result), result };
  if (result.trace !== undefined) outcome.trace = result.trace;
  return outcome;
}
