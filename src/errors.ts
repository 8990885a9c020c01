// One catalogue of every error callshield can raise (the shape of fastify's lib/errors.js).
// Each entry: an HTTP status, a short title, and whether the fault is ours (`ours: true` is logged
// as an error and alerts; client mistakes are logged quietly). Domain code throws CallshieldError
// with a code from here and never picks a status itself. docs/errors.md lists the same codes and a
// test keeps the two in step.

export interface ErrorSpec {
  readonly status: number;
  readonly title: string;
  readonly ours?: boolean;
}

export const catalogue = {
  // --- request (generic input problems found at the edge) ---
  REQUEST_INVALID_BODY: { status: 400, title: 'The request body is not valid' },
  REQUEST_INVALID_JSON: { status: 400, title: 'The request body is not valid JSON' },
  REQUEST_UNKNOWN_FIELD: { status: 400, title: 'The request has a field that is not allowed' },
  REQUEST_INVALID_QUERY: { status: 400, title: 'A query parameter is not valid' },
  REQUEST_BODY_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  REQUEST_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request content type is not supported' },
  REQUEST_NOT_FOUND: { status: 404, title: 'No such resource' },
  REQUEST_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  REQUEST_INVALID: { status: 400, title: 'The request is not valid' },
  REQUEST_FORBIDDEN: { status: 403, title: 'This path may not be read' },
  REQUEST_TIMEOUT: { status: 408, title: 'The request took too long to arrive' },
  REQUEST_PRECONDITION_FAILED: { status: 412, title: 'A precondition of the request does not hold' },
  REQUEST_URI_TOO_LONG: { status: 414, title: 'The request URL or a path parameter is too long' },
  REQUEST_RANGE_NOT_SATISFIABLE: { status: 416, title: 'The requested range is not satisfiable' },
  REQUEST_HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are too large' },
  REQUEST_CONFLICT: { status: 409, title: 'The request conflicts with the current state' },
  REQUEST_IDEMPOTENCY_CONFLICT: { status: 409, title: 'The Idempotency-Key was used with a different request, or its first request is still being answered' },
  REQUEST_RATE_LIMITED: { status: 429, title: 'Too many requests' },

  // --- auth ---
  AUTH_MISSING_KEY: { status: 401, title: 'An API key is required' },
  AUTH_INVALID_KEY: { status: 401, title: 'The API key is not valid' },
  AUTH_FORBIDDEN: { status: 403, title: 'This role may not do that' },
  AUTH_INVALID_ROLE: { status: 400, title: 'Unknown role' },
  AUTH_PERSON_REQUIRED: { status: 400, title: 'The key must name the person who holds it' },
  AUTH_INVALID_PERSON: { status: 400, title: 'Invalid person' },
  AUTH_INVALID_ORG: { status: 400, title: 'The organisation name is not valid' },
  AUTH_KEY_REVOKED: { status: 401, title: 'The API key was revoked' },
  AUTH_KEY_EXPIRED: { status: 401, title: 'The API key has expired' },
  KEY_NOT_FOUND: { status: 404, title: 'No such API key' },
  AUTH_INVALID_EXPIRY: { status: 400, title: 'The expiry is not a future date or a duration' },

  // --- config ---
  CONFIG_INVALID: { status: 500, title: 'The configuration is not valid', ours: true },

  // --- identity ---
  IDENTITY_EMPTY: { status: 400, title: 'The identifier is empty' },
  IDENTITY_INVALID_NUMBER: { status: 400, title: 'The phone number is not valid' },
  IDENTITY_INVALID_EMAIL: { status: 400, title: 'The e-mail address is not valid' },
  IDENTITY_INVALID_ACCOUNT: { status: 400, title: 'The platform account id is not valid' },
  IDENTITY_INVALID_SIP_URI: { status: 400, title: 'The SIP URI is not valid' },
  IDENTITY_INVALID_REGION: { status: 400, title: 'The region is not a known ISO 3166 country code' },
  IDENTITY_ANONYMOUS_NOT_ALLOWED: { status: 400, title: 'An anonymous caller cannot be used here' },

  // --- reputation (reports, feedback, lists, appeals) ---
  REPUTATION_INVALID_CATEGORY: { status: 400, title: 'Unknown report category' },
  REPUTATION_INVALID_REPORTER: { status: 400, title: 'The reporter reference is not valid' },
  REPUTATION_INVALID_TIME: { status: 400, title: 'The time is not valid' },
  REPUTATION_INVALID_LIST: { status: 400, title: 'The list is not valid' },
  REPUTATION_APPEAL_NOT_FOUND: { status: 404, title: 'No such appeal' },
  REPUTATION_APPEAL_ALREADY_DECIDED: { status: 409, title: 'The appeal has already been decided' },
  APPEAL_NOT_HOLDER: { status: 403, title: 'Only the registered holder of the number may appeal its label' },
  REPUTATION_BURST_NOT_FOUND: { status: 404, title: 'No such burst' },
  REPUTATION_BURST_ALREADY_DECIDED: { status: 409, title: 'The burst has already been decided' },
  REPUTATION_LIST_ENTRY_NOT_FOUND: { status: 404, title: 'No such list entry' },

  // --- screening ---
  SCREENING_INVALID_POLICY: { status: 400, title: 'The subscriber policy is not valid' },
  SCREENING_BATCH_TOO_LARGE: { status: 413, title: 'Too many calls in one batch' },
  SCREENING_POLICY_NOT_FOUND: { status: 404, title: 'No policy for this subscriber' },
  SCREENING_NOT_SERVING: { status: 403, title: 'Your organisation does not serve this subscriber' },

  // --- audit ---
  AUDIT_CHAIN_BROKEN: { status: 500, title: 'The audit chain is broken', ours: true },
  AUDIT_LOG_INCONSISTENT: { status: 500, title: 'The audit log does not extend its latest checkpoint; no checkpoint was signed', ours: true },
  AUDIT_NO_CHECKPOINT: { status: 404, title: 'No audit checkpoint has been signed yet' },
  AUDIT_ENTRY_NOT_FOUND: { status: 404, title: 'No audit entry at that index' },
  AUDIT_INVALID_CHECKPOINT: { status: 400, title: 'The checkpoint is not a signed checkpoint note' },

  // --- stir (STIR/SHAKEN) ---
  STIR_INVALID_REQUEST: { status: 400, title: 'The STIR/SHAKEN request is not valid' },
  STIR_INVALID_PASSPORT: { status: 400, title: 'The PASSporT is not valid' },
  STIR_INVALID_IDENTITY_HEADER: { status: 400, title: 'The Identity header is not valid' },
  STIR_SIGNER_NOT_CONFIGURED: { status: 409, title: 'No signing key is configured for this carrier' },
  STIR_VERIFIER_NOT_CONFIGURED: { status: 409, title: 'No STI-CA trust anchors are configured for verification' },
  STIR_INVALID_CERTIFICATE: { status: 400, title: 'The certificate is not valid' },
  STIR_CERTIFICATE_FETCH_FAILED: { status: 502, title: 'The certificate could not be fetched from its x5u URL' },
  STIR_CERT_URL_PLAIN_HTTP: { status: 502, title: 'The x5u URL is plain http, which is refused (ATIS-1000074 requires https)' },
  STIR_CERT_URL_REDIRECT: { status: 502, title: 'The x5u URL answered with a redirect, which is not followed' },
  STIR_CERT_URL_TOO_LARGE: { status: 502, title: 'The x5u document is larger than the verifier accepts' },
  STIR_CERT_URL_TIMEOUT: { status: 504, title: 'Fetching the x5u URL timed out' },
  STIR_REPLAYED: { status: 403, title: 'The PASSporT was already used on another call within its freshness window (a replay)' },
  STIR_CERT_URL_TLS: { status: 502, title: 'The TLS connection to the x5u host failed (certificate or handshake)' },
  STIR_CERTIFICATE_UNTRUSTED: { status: 400, title: 'The certificate does not chain to a trusted STI-CA' },
  STIR_INVALID_SIGNER_KEY: { status: 500, title: 'The configured STIR/SHAKEN signing key is not valid', ours: true },

  // --- conversation ---
  CONVERSATION_CALL_NOT_FOUND: { status: 404, title: 'No such call session' },
  CONVERSATION_CALL_ENDED: { status: 409, title: 'The call session has ended' },
  CONVERSATION_INVALID_UTTERANCE: { status: 400, title: 'The utterance is not valid' },
  CONVERSATION_MODEL_MISSING: { status: 500, title: 'The conversation model file is missing', ours: true },
  CONVERSATION_INVALID_DATASET: { status: 400, title: 'The conversation data set is not valid' },

  // --- payments ---
  PAYMENTS_INVALID_ACCOUNT: { status: 400, title: 'The account number is not valid' },
  PAYMENTS_INVALID_AMOUNT: { status: 400, title: 'The amount is not valid' },
  PAYMENTS_INVALID_CURRENCY: { status: 400, title: 'Unknown currency' },
  PAYMENTS_IDEMPOTENCY_CONFLICT: { status: 409, title: 'The idempotency key was used with a different request' },
  PAYMENTS_HOLD_NOT_FOUND: { status: 404, title: 'No such hold' },
  PAYMENTS_FREEZE_NOT_FOUND: { status: 404, title: 'No such freeze request' },
  PAYMENTS_SAME_OFFICER: { status: 403, title: 'A freeze step needs a second, different person of the unit' },
  PAYMENTS_INVALID_STATE: { status: 409, title: 'That step is not allowed in the current state' },
  PAYMENTS_INVALID_PAYER: { status: 400, title: 'The payer reference is not valid' },
  PAYMENTS_PAYER_NOT_FOUND: { status: 404, title: 'No such enrolled payer' },
  PAYMENTS_UNKNOWN_BANK: { status: 400, title: 'No bank organisation of that name' },
  PAYMENTS_FREEZE_NOT_ADDRESSED: { status: 403, title: 'The freeze request is not addressed to this bank' },
  PAYMENTS_FLAG_NOT_FOUND: { status: 404, title: 'No such flagged account' },
  PAYMENTS_CASE_NOT_FOUND: { status: 404, title: 'No such victim case' },
  PAYMENTS_INVALID_WEBHOOK: { status: 400, title: 'The webhook URL or secret is not valid' },
  PAYMENTS_NO_GUARDIANS: { status: 409, title: 'The subscriber has named no guardians' },

  // --- joint response (platform namespaces, tasks) ---
  RESPONSE_INVALID_NAMESPACE: { status: 400, title: 'The account platform name or e-mail domain is not valid' },
  RESPONSE_NAMESPACE_NOT_FOUND: { status: 404, title: 'No such namespace claim' },
  RESPONSE_TASK_NOT_FOUND: { status: 404, title: 'No such task' },
  RESPONSE_INVALID_STATE: { status: 409, title: 'That step is not allowed in the current state of the task or claim' },

  // --- campaigns (honeypots, campaigns) ---
  HONEYPOT_NOT_FOUND: { status: 404, title: 'No such honeypot line of yours' },
  HONEYPOT_NUMBER_IN_USE: { status: 409, title: 'The number is in use by someone and cannot be a honeypot line' },
  CAMPAIGN_NOT_FOUND: { status: 404, title: 'No such campaign' },

  // --- governance ---
  GOVERNANCE_INVALID_CONSENT: { status: 400, title: 'The consent record is not valid' },
  GOVERNANCE_BLOCK_CONFLICT: { status: 409, title: 'The number block overlaps one held by another carrier' },
  GOVERNANCE_INVALID_CSV: { status: 400, title: 'The CSV file is not valid' },
  GOVERNANCE_COMPLAINT_NOT_FOUND: { status: 404, title: 'No such complaint' },
  GOVERNANCE_COMPLAINT_DECIDED: { status: 409, title: 'The complaint already has an outcome' },
  GOVERNANCE_INVALID_BLOCK: { status: 400, title: 'The number block is not valid' },
  GOVERNANCE_DNC_NOT_FOUND: { status: 404, title: 'The number is not on the do-not-call list' },
  GOVERNANCE_CONSENT_NOT_FOUND: { status: 404, title: 'No such consent' },
  GOVERNANCE_CONSENT_ALREADY_REVOKED: { status: 409, title: 'The consent is already revoked' },
  GOVERNANCE_BUSINESS_MISMATCH: { status: 400, title: 'A business may only act for itself' },
  GOVERNANCE_SCRUB_TOO_LARGE: { status: 413, title: 'Too many numbers in one scrub request' },

  // --- store ---
  STORE_UNAVAILABLE: { status: 503, title: 'The database is not available, try again later', ours: true },
  STORE_NOT_READY: { status: 503, title: 'This node is not ready to serve (database or change log)' },

  // --- internal ---
  INTERNAL: { status: 500, title: 'Internal error', ours: true },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof catalogue;

export interface CallshieldErrorOptions {
  /** The input field at fault, as a JSON pointer-ish dotted path ("caller", "calls.3.callee"). */
  field?: string;
  /** Extra machine-readable members for the problem document. */
  extra?: Record<string, unknown>;
  cause?: unknown;
}

export class CallshieldError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, detail?: string, options: CallshieldErrorOptions = {}) {
    super(detail ?? catalogue[code].title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CallshieldError';
    this.code = code;
    this.field = options.field;
    this.extra = options.extra;
  }

  get status(): number {
    return catalogue[this.code].status;
  }

  get title(): string {
    return catalogue[this.code].title;
  }

  get ours(): boolean {
    const spec: ErrorSpec = catalogue[this.code];
    return spec.ours === true;
  }
}

export function isCallshieldError(err: unknown): err is CallshieldError {
  return err instanceof CallshieldError;
}
