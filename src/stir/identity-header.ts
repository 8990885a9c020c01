import { rejectIdentity } from './stir-rejection.js';

/** One parsed SIP Identity header value (RFC 8224 §4.1). */
export interface IdentityHeader {
  /** The signed-identity-digest: a JWS in full (header.payload.signature) form. */
  jws: string;
  /** The ident-info URI without its angle brackets. */
  info: string;
  alg: string | undefined;
  ppt: string | undefined;
  /** Every parameter by lower-cased name, values unquoted. */
  params: Readonly<Record<string, string>>;
}

const JWS_SHAPE = /^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;
const MAX_HEADER_LENGTH = 16 * 1024;

/** `<jws>;info=<x5u>;alg=ES256;ppt=shaken`, the form RFC 8588 §6 and ATIS-1000074 §5.3 use. */
export function formatIdentityHeader(jws: string, x5u: string): string {
  return `${jws};info=<${x5u}>;alg=ES256;ppt=shaken`;
}

// Splits on `sep` outside <...> and "..." so a comma or semicolon inside the info URI survives.
export function splitOutside(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && depth === 0) quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>' && depth > 0) depth--;
    else if (!quoted && depth === 0 && c === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export function stripHeaderName(value: string): string {
  const m = /^\s*identity\s*:/i.exec(value);
  return (m ? value.slice(m[0].length) : value).trim();
}

function readParams(parts: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const raw of parts) {
    const eq = raw.indexOf('=');
    const name = (eq < 0 ? raw : raw.slice(0, eq)).trim().toLowerCase();
    let value = eq < 0 ? '' : raw.slice(eq + 1).trim();
    if (name === '' || !TOKEN.test(name)) rejectIdentity(438, `Malformed Identity header parameter '${raw.trim()}'`);
    if (Object.hasOwn(params, name)) rejectIdentity(438, `Identity header parameter '${name}' appears twice`);
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    params[name] = value;
  }
  return params;
}

/**
 * Parses one Identity header value. Rejections follow RFC 8224: a missing or unusable `info` is 436
 * (§6.2.2, §13.2), anything else malformed is 438 (§13.4).
 */
export function parseIdentityHeader(value: string): IdentityHeader {
  if (typeof value !== 'string') rejectIdentity(438, 'The Identity header is not a string');
  const text = stripHeaderName(value);
  if (text === '') rejectIdentity(428, 'The Identity header is empty');
  if (text.length > MAX_HEADER_LENGTH) rejectIdentity(438, 'The Identity header is too long');
  // The digest is base64url and dots only, so the first ';' ends it; only the short parameter
  // part needs the bracket-aware split (this is on the per-call path).
  const semi = text.indexOf(';');
  const jws = (semi < 0 ? text : text.slice(0, semi)).trim();
  if (!JWS_SHAPE.test(jws)) {
    rejectIdentity(438, 'The signed-identity-digest is not a JWS in compact serialisation (RFC 7515 §7.1)');
  }
  const params = readParams(semi < 0 ? [] : splitOutside(text.slice(semi + 1), ';'));
  const infoRaw = params.info;
  // RFC 8224 §4.1: ident-info is mandatory; §6.2.2: a verifier that cannot use it answers 436.
  if (infoRaw === undefined) rejectIdentity(436, "Missing 'info' parameter in the Identity header");
  if (!infoRaw.startsWith('<')) rejectIdentity(436, "The 'info' parameter is not an <absoluteURI>");
  const close = infoRaw.indexOf('>');
  if (close < 0) rejectIdentity(436, "The 'info' parameter is not an <absoluteURI>");
  if (close !== infoRaw.length - 1) {
    // e.g. `info=<http://x/c.pem>alg=ES256` (a missing ';'): a syntax error, not a bad URI.
    rejectIdentity(438, "Unexpected text after the 'info' URI; parameters must be separated by ';'");
  }
  const info = infoRaw.slice(1, -1).trim();
  checkInfoUri(info);
  return { jws, info, alg: params.alg, ppt: params.ppt, params };
}

// Calls from one carrier share a handful of info URIs; remember the good ones so the per-call
// path does not parse the same URL again (bounded, so hostile input cannot grow it).
const goodInfoUris = new Set<string>();

function checkInfoUri(info: string): void {
  if (goodInfoUris.has(info)) return;
  let url: URL;
  try {
    url = new URL(info);
  } catch {
    rejectIdentity(436, "The 'info' URI is not an absolute URI");
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    rejectIdentity(436, "The 'info' URI is not an http(s) URL (ATIS-1000074 §5.3.1)");
  }
  if (goodInfoUris.size >= 1024) goodInfoUris.clear();
  goodInfoUris.add(info);
}

// The info URI is left out of the search: `info=<https://x/;ppt=shaken;v=1>;ppt=div` is not SHAKEN.
export function quickPpt(value: string): string | undefined {
  const m = /;\s*ppt\s*=\s*"?([^;"\s]*)/i.exec(value.replace(/<[^>]*>/g, '<>'));
  return m?.[1];
}

/**
 * Picks the SHAKEN Identity among all Identity header values of one request (RFC 8224 §4: a request
 * may carry several, one per PASSporT type; RFC 8588 §6 identifies SHAKEN's by ppt=shaken). Values
 * may arrive as separate headers or comma-joined in one (RFC 3261 §7.3.1).
 */
export function selectShakenIdentity(headers: string | readonly string[]): IdentityHeader {
  const list = typeof headers === 'string' ? [headers] : headers;
  const values: string[] = [];
  for (const h of list) {
    if (typeof h !== 'string') continue;
    const text = stripHeaderName(h);
    if (!text.includes(',')) {
      if (text !== '') values.push(text);
      continue;
    }
    for (const v of splitOutside(text, ',')) if (v.trim() !== '') values.push(v.trim());
  }
  if (values.length === 0) rejectIdentity(428, 'No Identity header');
  const shaken = values.find((v) => quickPpt(v) === 'shaken');
  if (shaken !== undefined) return parseIdentityHeader(shaken);
  const withoutPpt = values.find((v) => quickPpt(v) === undefined);
  if (withoutPpt !== undefined) return parseIdentityHeader(withoutPpt);
  return rejectIdentity(438, "No Identity header has ppt 'shaken' (RFC 8588 §6)");
}
