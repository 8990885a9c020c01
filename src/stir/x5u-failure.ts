import type { ErrorCode } from '../errors.js';

// Why an x5u (or CRL) fetch failed, in words a carrier's engineer can act on and with a distinct
// error code for the cases that need different fixes: plain http refused, a redirect, a document too
// large, a timeout, a TLS failure. Everything else (HTTP status, refused address, unreachable host)
// keeps STIR_CERTIFICATE_FETCH_FAILED with its own text.

export type X5uFailureKind = 'plain-http' | 'redirect' | 'too-large' | 'timeout' | 'tls' | 'http-status' | 'refused' | 'unreachable' | 'not-url' | 'failed';

export const X5U_FAILURE_CODE: Readonly<Record<X5uFailureKind, ErrorCode>> = {
  'plain-http': 'STIR_CERT_URL_PLAIN_HTTP',
  redirect: 'STIR_CERT_URL_REDIRECT',
  'too-large': 'STIR_CERT_URL_TOO_LARGE',
  timeout: 'STIR_CERT_URL_TIMEOUT',
  tls: 'STIR_CERT_URL_TLS',
  'http-status': 'STIR_CERTIFICATE_FETCH_FAILED',
  refused: 'STIR_CERTIFICATE_FETCH_FAILED',
  unreachable: 'STIR_CERTIFICATE_FETCH_FAILED',
  'not-url': 'STIR_CERTIFICATE_FETCH_FAILED',
  failed: 'STIR_CERTIFICATE_FETCH_FAILED',
};

const TLS_CODE = /^(EPROTO$|ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|ERR_OSSL_)/;

/**
 * Classifies what a fetch threw: the edge's guarded fetch (an error with an `outcome` such as
 * "refused: redirect"), the global fetch (undici's TypeError with a cause), or the abort of the
 * deadline. Walks the cause chain a few levels.
 */
export function classifyFetchError(err: unknown): { kind: X5uFailureKind; text: string } {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, code, message, outcome } = e as { name?: string; code?: string; message?: string; outcome?: unknown };
    if (name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return { kind: 'timeout', text: 'the request timed out' };
    if ((typeof outcome === 'string' && /redirect/.test(outcome)) || (typeof message === 'string' && /^unexpected redirect$|redirect mode is set to error/.test(message))) {
      return { kind: 'redirect', text: 'the server answered with a redirect, which is not followed (the certificate must be at the x5u itself)' };
    }
    if (typeof code === 'string' && TLS_CODE.test(code)) return { kind: 'tls', text: `the TLS connection failed (${code})` };
    if (typeof outcome === 'string' && outcome === 'TLS error') return { kind: 'tls', text: 'the TLS connection failed' };
    if (typeof outcome === 'string' && outcome.startsWith('refused')) return { kind: 'refused', text: `the request was refused: ${outcome.replace(/^refused: /, '')}${message && message !== outcome ? ` (${message})` : ''}` };
    if (typeof outcome === 'string' && outcome === 'host not found') return { kind: 'unreachable', text: 'the host does not resolve' };
    if (code === 'ECONNREFUSED') return { kind: 'unreachable', text: 'the connection was refused' };
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return { kind: 'unreachable', text: 'the connection was reset' };
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return { kind: 'unreachable', text: 'the host does not resolve' };
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { kind: 'unreachable', text: 'the host is unreachable' };
  }
  if (err instanceof Error && err.name === 'AbortError') return { kind: 'timeout', text: 'the request timed out' };
  return { kind: 'failed', text: 'the request failed' };
}
