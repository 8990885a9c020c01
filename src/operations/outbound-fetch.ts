// Every request callshield sends out on someone else's say-so goes through here: organisations'
// webhooks, guardians' webhooks, and the x5u and CRL URLs of STIR certificates (which any caller
// can put in an Identity header). Such a URL must not make the server reach its own network:
// loopback, private, link-local, cloud metadata, unspecified, multicast, shared (CGNAT) and
// reserved addresses are refused, including IPv4 addresses wrapped in IPv6.
//
// The check is made on the addresses the name resolves to, not on the name, and the connection
// then goes to the address that was checked (a `lookup` that answers only that address), so a DNS
// answer that changes between the check and the connection (rebinding) reaches nothing new.
// Redirects are followed by hand, each hop resolved and checked again, at most a few hops.
// CALLSHIELD_ALLOW_PRIVATE_FETCH=1 lifts the address check (tests with receivers on loopback).
//
// The domain (src/stir) takes its fetcher as a dependency and never imports this: the edges
// (operations, cli) build the guarded fetch and hand it in.
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name → addresses. The default is the system resolver (getaddrinfo: /etc/hosts, then DNS). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutboundFetchOptions {
  /** CALLSHIELD_ALLOW_PRIVATE_FETCH: skip the address check. */
  allowPrivate: boolean;
  resolve?: Resolver;
  /** Why an address may not be reached (undefined: it may). Default: refusedAddressReason. */
  refuse?: (address: string) => string | undefined;
  /** Redirect hops followed at most (default 3). */
  maxRedirects?: number;
}

export interface OutboundRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** follow (default): by hand, every hop checked; manual: hand back the 3xx; error: refuse it. */
  redirect?: 'follow' | 'manual' | 'error';
  signal?: AbortSignal;
}

export type GuardedFetch = (url: string | URL, init?: OutboundRequest) => Promise<Response>;

/** A request the guard refused or that failed, with its outcome in plain words. */
export class OutboundFetchError extends Error {
  constructor(
    readonly outcome: string,
    message: string = outcome,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OutboundFetchError';
  }
}

// --- which addresses are refused ---------------------------------------------------------------

const V4_RULES: [string, number, string][] = [
  ['169.254.169.254', 32, 'metadata'],
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6_RULES: [string, number, string][] = [
  ['fd00:ec2::254', 128, 'metadata'],
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fc00::', 7, 'private'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'],
  ['ff00::', 8, 'multicast'],
  ['100::', 64, 'reserved'],
];

function compile(rules: [string, number, string][], type: 'ipv4' | 'ipv6'): [BlockList, string][] {
  return rules.map(([net, prefix, kind]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, type);
    return [list, kind];
  });
}

const V4 = compile(V4_RULES, 'ipv4');
const V6 = compile(V6_RULES, 'ipv6');

/** The 16 bytes of an IPv6 address (already known to be valid), dotted-quad tail included. */
function ipv6Bytes(address: string): number[] {
  let text = address;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail.push(...dotted[1]!.split('.').map(Number));
    text = `${text.slice(0, -dotted[1]!.length)}0:0`;
  }
  const [head = '', rest] = text.split('::') as [string, string | undefined];
  const groups = (s: string): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const r = rest === undefined ? [] : groups(rest);
  const all = [...h, ...Array<number>(8 - h.length - r.length).fill(0), ...r];
  const bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** The IPv4 address an IPv6 address carries (mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16). */
function embeddedIpv4(address: string): string | undefined {
  const b = ipv6Bytes(address);
  const zeros = (from: number, to: number): boolean => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12, 16).join('.');
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return b.slice(12, 16).join('.');
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6).join('.');
  return undefined;
}

/**
 * Why an outbound request may not go to this IP address ("loopback", "private", "metadata", …),
 * or undefined when it is an ordinary public address. Anything that is not an IP address is refused.
 */
export function refusedAddressReason(address: string): string | undefined {
  const plain = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(plain);
  if (family === 4) return V4.find(([list]) => list.check(plain, 'ipv4'))?.[1];
  if (family !== 6) return 'not an IP address';
  const v4 = embeddedIpv4(plain);
  if (v4 !== undefined) {
    const inner = refusedAddressReason(v4);
    return inner === undefined ? undefined : `${inner} (IPv4 in IPv6)`;
  }
  const hit = V6.find(([list]) => list.check(plain, 'ipv6'))?.[1];
  if (hit) return hit;
  // The rest of ::/96 (IPv4-compatible addresses, long deprecated).
  return ipv6Bytes(plain).slice(0, 12).every((x) => x === 0) ? 'reserved' : undefined;
}

/**
 * Registration-time check of a URL's host as written (no DNS): an IP literal in a refused range,
 * or `localhost` (RFC 6761). Names that only resolve to such addresses are caught when sending.
 */
export function literalHostRefusal(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host)) return refusedAddressReason(host);
  if (host === 'localhost' || host.endsWith('.localhost') || host === 'localhost.') return 'loopback';
  return undefined;
}

// --- the outcomes people read ------------------------------------------------------------------

const TLS_CODE = /^(EPROTO$|ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|ERR_OSSL_)/;

/**
 * A failed outbound request as a plain outcome for delivery logs: "refused: private address",
 * "connection refused", "timed out", "TLS error", … (never a raw error code).
 */
export function describeOutboundFailure(err: unknown): string {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof OutboundFetchError) return e.outcome;
    const { name, code } = e as { name?: string; code?: string };
    if (name === 'TimeoutError' || name === 'AbortError' || code === 'ABORT_ERR' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timed out';
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return 'connection reset';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'ENODATA') return 'host not found';
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') return 'host unreachable';
    if (typeof code === 'string' && TLS_CODE.test(code)) return 'TLS error';
    if (typeof code === 'string' && code.startsWith('HPE_')) return 'invalid HTTP response';
  }
  return 'request failed';
}

// --- the fetch ----------------------------------------------------------------------------------

const defaultResolve: Resolver = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The address to connect to, checked; throws when the URL may not be fetched. */
async function checkedAddress(url: URL, options: OutboundFetchOptions, signal: AbortSignal | undefined): Promise<ResolvedAddress> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundFetchError('refused: not an http(s) URL');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await abortable((options.resolve ?? defaultResolve)(host), signal);
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw new OutboundFetchError('host not found', `${host} does not resolve`, { cause });
    }
    if (addresses.length === 0) throw new OutboundFetchError('host not found', `${host} does not resolve`);
  }
  if (!options.allowPrivate) {
    const refuse = options.refuse ?? refusedAddressReason;
    // Every address, not only the first: the connection could otherwise fall back to a refused one.
    for (const a of addresses) {
      const why = refuse(a.address);
      if (why !== undefined) throw new OutboundFetchError('refused: private address', `${host} ${literal ? 'is' : `resolves to ${a.address}, which is`} a ${why} address`);
    }
  }
  return addresses[0]!;
}

function headersOf(res: IncomingMessage): Headers {
  const h = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    try {
      h.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
    } catch {
      /* a header value fetch would not accept either: leave it out */
    }
  }
  return h;
}

async function sendOnce(url: URL, to: ResolvedAddress, init: OutboundRequest & { method: string }): Promise<Response> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Connect to the checked address only, whatever the resolver would answer now.
  const pinned = ((_name: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (opts?.all) cb(null, [{ address: to.address, family: to.family }]);
    else cb(null, to.address, to.family);
  }) as unknown as LookupFunction;
  const body = init.body === undefined ? undefined : Buffer.from(init.body);
  const options: RequestOptions & { servername?: string } = {
    protocol: url.protocol,
    hostname: host,
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    method: init.method,
    headers: { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
    lookup: pinned,
    agent: false, // no pooled socket from an earlier check
    ...(init.signal ? { signal: init.signal } : {}),
    ...(url.protocol === 'https:' && !isIP(host) ? { servername: host } : {}),
  };
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(options, resolve);
    req.on('error', reject); // `on`: an abort after the response must not become an unhandled 'error'
    req.end(body);
  });
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 599) {
    res.destroy();
    throw new OutboundFetchError('invalid HTTP response', `status ${status}`);
  }
  const empty = NULL_BODY.has(status) || init.method === 'HEAD';
  if (empty) res.resume();
  return new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, headers: headersOf(res) });
}

/** A fetch that reaches only public addresses (unless allowPrivate), checking every redirect hop. */
export function createGuardedFetch(options: OutboundFetchOptions): GuardedFetch {
  const maxRedirects = options.maxRedirects ?? 3;
  return async (input, init = {}) => {
    let url = new URL(String(input));
    const method = (init.method ?? 'GET').toUpperCase();
    const body = init.body;
    let headers = { ...init.headers };
    const mode = init.redirect ?? 'follow';
    for (let hop = 0; ; hop++) {
      const to = await checkedAddress(url, options, init.signal);
      const res = await sendOnce(url, to, { ...init, method, headers, ...(body === undefined ? {} : { body }) });
      const location = res.headers.get('location');
      if (!REDIRECTS.has(res.status) || location === null || mode === 'manual') return res;
      // Followed only when the request can be repeated as it is: any GET or HEAD, or a 307/308.
      // A 301/302/303 answer to a POST would turn it into a GET without its body; it is handed back.
      const repeatable = method === 'GET' || method === 'HEAD' || res.status === 307 || res.status === 308;
      if (mode === 'follow' && !repeatable) return res;
      await res.body?.cancel().catch(() => undefined);
      if (mode === 'error') throw new OutboundFetchError('refused: redirect', `redirected (HTTP ${res.status}); redirects are not followed here`);
      if (hop >= maxRedirects) throw new OutboundFetchError('refused: too many redirects');
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new OutboundFetchError('invalid redirect');
      }
      if (next.origin !== url.origin) {
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !['authorization', 'cookie'].includes(k.toLowerCase())));
      }
      url = next;
    }
  };
}

/** The guarded fetch as configured (CALLSHIELD_ALLOW_PRIVATE_FETCH). */
export function outboundFetch(config: { readonly allowPrivateFetch: boolean }): GuardedFetch {
  return createGuardedFetch({ allowPrivate: config.allowPrivateFetch });
}
