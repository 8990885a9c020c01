// Request and response shapes of the ATIS-1000082 STI-AS/STI-VS REST interface, as vermouth
// (martinisecurity/vermouth, "compliant (mostly)") implements them. Its messageIds SVC40001…SVC40007
// look mistyped; ATIS's service exceptions are four digits, so ours are SVC4000…SVC4007.

export interface ServiceExceptionBody {
  requestError: { serviceException: { messageId: string; text: string; variables: string[] } };
}

export interface SigningResponseBody {
  signingResponse: { identity: string };
}

export interface VerificationResponseBody {
  verificationResponse: { verstat: string; reasoncode?: number; reasontext?: string; reasondesc?: string; div?: Record<string, unknown>; rcd?: Record<string, unknown> };
}

export interface AtisResponse<B> {
  status: number;
  body: B;
}

export const SERVICE_EXCEPTIONS = {
  missingBody: { messageId: 'SVC4000', status: 400, text: 'Error: Missing JSON body in the request.' },
  missingParameter: { messageId: 'SVC4001', status: 400, text: "Error: Missing mandatory parameter '%1'." },
  unsupportedAccept: { messageId: 'SVC4002', status: 406, text: "Error: Requested response body type '%1' is not supported." },
  notFound: { messageId: 'SVC4003', status: 404, text: 'Error: Requested resource was not found.' },
  unsupportedContentType: { messageId: 'SVC4004', status: 415, text: "Error: Unsupported request body type, expected '%1'." },
  invalidParameter: { messageId: 'SVC4005', status: 400, text: "Error: Invalid '%1' parameter value: %2." },
  parseError: { messageId: 'SVC4006', status: 400, text: "Error: Failed to parse received message body: '%1'." },
  missingContentLength: { messageId: 'SVC4007', status: 411, text: 'Error: Missing mandatory Content-Length header.' },
  methodNotAllowed: { messageId: 'POL4050', status: 405, text: 'Error: Method Not Allowed: Invalid HTTP method used' },
  internal: { messageId: 'POL5000', status: 500, text: 'Error: Internal Server Issue' },
} as const;

export type ServiceExceptionKind = keyof typeof SERVICE_EXCEPTIONS;

/** `{"requestError":{"serviceException":{…}}}` with its HTTP status; variables fill %1, %2. */
export function buildServiceException(kind: ServiceExceptionKind, variables: readonly string[] = []): AtisResponse<ServiceExceptionBody> {
  const spec = SERVICE_EXCEPTIONS[kind];
  return {
    status: spec.status,
    body: { requestError: { serviceException: { messageId: spec.messageId, text: spec.text, variables: [...variables] } } },
  };
}

/** Accepts an already-parsed JSON value or the raw body text. */
export function readJsonBody(body: unknown): { ok: true; value: unknown } | { ok: false; response: AtisResponse<ServiceExceptionBody> } {
  if (body === undefined || body === null || body === '') return { ok: false, response: buildServiceException('missingBody') };
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return { ok: true, value: body };
  try {
    return { ok: true, value: JSON.parse(body.toString()) };
  } catch {
    return { ok: false, response: buildServiceException('parseError', ['invalid JSON body']) };
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
