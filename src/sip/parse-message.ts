// A small, strict RFC 3261 §7 message parser for the SIP screening server (docs/sip.md). The npm
// `sip` package (0.0.6, unmaintained since 2019) and sip.js (a user agent, not a parser) did not fit.
// It never throws anything but SipParseError, whatever the bytes (test/unit/sip/parse-message.test.ts
// fuzzes it with thousands of mutated INVITEs).

/** The largest message accepted (UDP datagrams and TCP frames alike). */
export const MAX_MESSAGE_BYTES = 65_535;

export class SipParseError extends Error {
  /** The headers parsed before the error, so that a 400 can still copy Via, From, To, Call-ID and CSeq. */
  readonly headers: SipHeader[] | undefined;
  constructor(reason: string, headers?: SipHeader[]) {
    super(reason);
    this.name = 'SipParseError';
    this.headers = headers;
  }
}

export interface SipHeader {
  /** The full header name in lower case (compact forms expanded: `v` → `via`). */
  readonly name: string;
  readonly value: string;
}

export interface SipRequest {
  readonly kind: 'request';
  readonly method: string;
  readonly uri: string;
  readonly headers: SipHeader[];
  readonly body: string;
}

export interface SipResponseMessage {
  readonly kind: 'response';
  readonly status: number;
  readonly headers: SipHeader[];
}

export type SipMessage = SipRequest | SipResponseMessage;

// RFC 3261 §7.3.3, RFC 8224 §4 (y: Identity) and the IANA registry's other common compact forms.
const COMPACT: Readonly<Record<string, string>> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  y: 'identity',
  o: 'event',
  r: 'refer-to',
  u: 'allow-events',
};

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
// Headers whose values are comma-separated lists that may be split (RFC 3261 §7.3.1). From, To,
// Call-ID, CSeq and the identity headers are single-valued here.
const LIST_HEADERS = new Set(['via', 'contact', 'allow', 'supported', 'require', 'route', 'record-route', 'p-asserted-identity', 'identity']);
const SINGLE_HEADERS = ['from', 'to', 'call-id', 'cseq', 'content-length', 'max-forwards'];

export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
}

/** Splits a header value at commas outside quotes and angle brackets. */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((v) => v !== '');
}

/** All values of a header, list headers split at commas, in message order. */
export function headerValues(headers: readonly SipHeader[], name: string): string[] {
  const out: string[] = [];
  for (const h of headers) {
    if (h.name !== name) continue;
    if (LIST_HEADERS.has(name)) out.push(...splitList(h.value));
    else out.push(h.value);
  }
  return out;
}

export function headerValue(headers: readonly SipHeader[], name: string): string | undefined {
  return headerValues(headers, name)[0];
}

/** Where the header block ends in a buffer: the index just after CRLFCRLF (or LFLF), or -1. */
export function headerEnd(buf: Buffer): number {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf === -1) return lf === -1 ? -1 : lf + 2;
  if (lf === -1 || crlf + 1 < lf) return crlf + 4;
  return lf + 2;
}

function parseHeaders(lines: string[]): SipHeader[] {
  const headers: SipHeader[] = [];
  let name: string | undefined;
  let value = '';
  const flush = (): void => {
    if (name !== undefined) headers.push({ name, value: value.trim() });
  };
  for (const line of lines) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      // RFC 3261 §7.3.1: a line starting with whitespace continues the previous header.
      if (name === undefined) throw new SipParseError('Bad Header Folding', headers);
      value += ' ' + line.trim();
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipParseError('Bad Header Line', headers);
    const rawName = line.slice(0, colon).replace(/[ \t]+$/, '');
    if (!TOKEN.test(rawName)) throw new SipParseError('Bad Header Name', headers);
    name = canonicalHeaderName(rawName);
    value = line.slice(colon + 1);
  }
  flush();
  return headers;
}

export interface ParsedVia {
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly branch: string | undefined;
  readonly params: ReadonlyMap<string, string>;
}

/** `SIP/2.0/UDP host[:port];branch=z9hG4bK…;rport` (RFC 3261 §20.42). */
export function parseVia(value: string): ParsedVia {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9\-.!%*_+`'~]+)\s+(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-.]+)(?::(\d{1,5}))?\s*((?:;.*)?)$/.exec(value.trim());
  if (!m) throw new SipParseError('Bad Via');
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) throw new SipParseError('Bad Via');
  const params = new Map<string, string>();
  for (const part of (m[4] ?? '').split(';').slice(1)) {
    const [k = '', v = ''] = part.split('=', 2).map((s) => s.trim());
    if (!TOKEN.test(k)) throw new SipParseError('Bad Via');
    params.set(k.toLowerCase(), v);
  }
  return { transport: (m[1] ?? '').toUpperCase(), host: (m[2] ?? '').toLowerCase(), port, branch: params.get('branch') || undefined, params };
}

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

export function parseCSeq(value: string): CSeq {
  const m = /^(\d{1,10})\s+([A-Za-z0-9\-.!%*_+`'~]+)$/.exec(value.trim());
  const seq = m ? Number(m[1]) : NaN;
  if (!m || seq > 0xffffffff) throw new SipParseError('Bad CSeq');
  return { seq, method: m[2] ?? '' };
}

/**
 * Parses one SIP message. `stream` is true for TCP, where Content-Length is mandatory (RFC 3261
 * §18.3) and the caller has already cut the frame; over UDP a shorter Content-Length truncates the
 * body and a longer one is an error (§18.3).
 */
export function parseMessage(buf: Buffer, opts: { stream?: boolean } = {}): SipMessage {
  if (buf.length > MAX_MESSAGE_BYTES) throw new SipParseError('Message Too Large');
  const end = headerEnd(buf);
  if (end === -1) throw new SipParseError('Incomplete Message');
  const head = buf.subarray(0, end).toString('utf8');
  if (head.includes('\0')) throw new SipParseError('Bad Characters');
  const lines = head.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const startLine = lines.shift() ?? '';
  const headers = parseHeaders(lines);

  const status = /^SIP\/2\.0 ([1-6]\d\d) [^\r\n]*$/.exec(startLine);
  if (status) return { kind: 'response', status: Number(status[1]), headers };
  const req = /^([A-Za-z0-9\-.!%*_+`'~]+) (\S+) SIP\/2\.0$/.exec(startLine);
  if (!req) {
    if (/ SIP\/\d+\.\d+$/.test(startLine) && !/ SIP\/2\.0$/.test(startLine)) throw new SipParseError('Version Not Supported', headers);
    throw new SipParseError('Bad Request Line', headers);
  }
  const method = req[1] ?? '';
  const uri = req[2] ?? '';
  if (!/^(sips?|tel):[^\s<>"]+$/i.test(uri)) throw new SipParseError('Bad Request-URI', headers);

  for (const name of ['via', 'from', 'to', 'call-id', 'cseq']) {
    if (!headers.some((h) => h.name === name)) throw new SipParseError(`Missing ${name === 'call-id' ? 'Call-ID' : name === 'cseq' ? 'CSeq' : name[0]!.toUpperCase() + name.slice(1)}`, headers);
  }
  for (const name of SINGLE_HEADERS) {
    if (headers.filter((h) => h.name === name).length > 1) throw new SipParseError(`Duplicate ${name}`, headers);
  }
  for (const v of headerValues(headers, 'via')) {
    try {
      parseVia(v);
    } catch {
      throw new SipParseError('Bad Via', headers);
    }
  }
  let cseq: CSeq;
  try {
    cseq = parseCSeq(headerValue(headers, 'cseq') ?? '');
  } catch {
    throw new SipParseError('Bad CSeq', headers);
  }
  if (cseq.method !== method) throw new SipParseError('CSeq Method Mismatch', headers);
  if ((headerValue(headers, 'call-id') ?? '') === '' || /\s/.test(headerValue(headers, 'call-id') ?? '')) throw new SipParseError('Bad Call-ID', headers);
  const mf = headerValue(headers, 'max-forwards');
  if (mf !== undefined && !/^\d{1,3}$/.test(mf)) throw new SipParseError('Bad Max-Forwards', headers);

  const rest = buf.subarray(end);
  const cl = headerValue(headers, 'content-length');
  let body: Buffer;
  if (cl === undefined) {
    if (opts.stream) throw new SipParseError('Missing Content-Length', headers);
    body = rest;
  } else {
    if (!/^\d{1,5}$/.test(cl)) throw new SipParseError('Bad Content-Length', headers);
    const n = Number(cl);
    if (n > rest.length) throw new SipParseError('Content-Length Too Large', headers);
    body = rest.subarray(0, n);
  }
  return { kind: 'request', method, uri, headers, body: body.toString('utf8') };
}
