import { CallshieldError } from '../errors.js';
import { X5U_FAILURE_CODE, classifyFetchError } from './x5u-failure.js';
import type { X5uFailureKind } from './x5u-failure.js';

// The only network I/O of the STI-VS: dereferencing x5u (RFC 8224 §6.2.2, ATIS-1000074 §5.3.1) and
// CRL distribution points. The verifier takes these interfaces as arguments so tests can pass a
// loopback server or a fake and so that the domain code never opens a socket by itself: even the
// HTTP fetcher below sends through the `fetch` it is given. The service and the CLI give it the
// outbound fetch guard (src/operations/outbound-fetch.ts), which refuses private, loopback and
// metadata addresses, since any caller chooses the x5u of the Identity header it sends.

export interface FetchedDocument {
  body: Buffer;
  /** Cache-Control max-age in seconds, when the response gave one. */
  maxAgeSeconds: number | undefined;
  /** Cache-Control no-store (or no-cache, which we treat alike: never reuse without revalidation). */
  noStore: boolean;
}

export interface CertificateFetcher {
  fetchCertificate(url: string): Promise<FetchedDocument>;
}

export interface CrlFetcher {
  fetchCrl(url: string): Promise<FetchedDocument>;
}

/** The one request this fetcher sends: a GET that must not be redirected, with a deadline. */
export type FetchFunction = (url: URL, init: { redirect: 'error'; signal: AbortSignal }) => Promise<Response>;

export interface HttpFetcherOptions {
  /** Sends the request (the edge's guarded fetch; tests on loopback may pass the global fetch). */
  fetch: FetchFunction;
  /** Allow plain http:// (tests, loopback). ATIS-1000074 §5.3.1 requires HTTPS for x5u. */
  allowHttp?: boolean;
  /** Whole-request timeout; default 2000 ms, since a call set-up is waiting. */
  timeoutMs?: number;
  /** Largest body accepted; default 64 KiB (a chain of three P-256 certificates is ~3 KiB). */
  maxBytes?: number;
}

export function parseCacheControl(header: string | null | undefined): { maxAgeSeconds: number | undefined; noStore: boolean } {
  let maxAgeSeconds: number | undefined;
  let noStore = false;
  for (const raw of (header ?? '').split(',')) {
    const directive = raw.trim().toLowerCase();
    if (directive === 'no-store' || directive === 'no-cache' || directive === 'private') noStore = true;
    const m = /^max-age\s*=\s*"?(\d{1,10})"?$/.exec(directive);
    if (m) maxAgeSeconds = Number(m[1]);
  }
  return { maxAgeSeconds, noStore };
}

function fetchFailed(url: string, kind: X5uFailureKind, why: string, cause?: unknown): CallshieldError {
  return new CallshieldError(X5U_FAILURE_CODE[kind], `${why} (${url})`, { field: 'x5u', cause, extra: { x5uFailure: kind } });
}

async function fetchDocument(url: string, options: Required<HttpFetcherOptions>): Promise<FetchedDocument> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw fetchFailed(url, 'not-url', 'not a URL', cause);
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && options.allowHttp)) {
    if (parsed.protocol === 'http:') throw fetchFailed(url, 'plain-http', 'plain http is refused: x5u must be https (ATIS-1000074 §5.3.1)');
    throw fetchFailed(url, 'not-url', 'only http(s) URLs are fetched');
  }
  let response: Response;
  try {
    // No redirects: the certificate must live at the URL the signer put in x5u.
    response = await options.fetch(parsed, { redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (cause) {
    // The guard says why in plain words (e.g. "refused: private address"); say no more than that.
    const failure = classifyFetchError(cause);
    throw fetchFailed(url, failure.kind, failure.text, cause);
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel().catch(() => undefined);
    throw fetchFailed(url, response.status >= 300 && response.status < 400 ? 'redirect' : 'http-status', response.status >= 300 && response.status < 400 ? `the server answered with a redirect (HTTP ${response.status}), which is not followed` : `the server answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw fetchFailed(url, 'too-large', `the document is larger than ${options.maxBytes} bytes (Content-Length ${declared})`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw fetchFailed(url, 'too-large', `the document is larger than ${options.maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof CallshieldError) throw cause;
    const failure = classifyFetchError(cause);
    throw fetchFailed(url, failure.kind, `reading the response: ${failure.text}`, cause);
  }
  return { body: Buffer.concat(chunks), ...parseCacheControl(response.headers.get('cache-control')) };
}

/** An x5u and CRL fetcher over HTTPS (and HTTP only with allowHttp), with a timeout and size limit. */
export function createHttpFetcher(options: HttpFetcherOptions): CertificateFetcher & CrlFetcher {
  const resolved: Required<HttpFetcherOptions> = {
    fetch: options.fetch,
    allowHttp: options.allowHttp ?? false,
    timeoutMs: options.timeoutMs ?? 2000,
    maxBytes: options.maxBytes ?? 64 * 1024,
  };
  return {
    fetchCertificate: (url) => fetchDocument(url, resolved),
    fetchCrl: (url) => fetchDocument(url, { ...resolved, maxBytes: Math.max(resolved.maxBytes, 4 * 1024 * 1024) }),
  };
}
