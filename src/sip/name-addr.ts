import { SipParseError } from './parse-message.js';

/** A From, To, Contact or P-Asserted-Identity value: `"Name" <uri;uri-params>;header-params`. */
export interface NameAddr {
  readonly displayName: string | undefined;
  /** The URI with its URI parameters, without angle brackets. */
  readonly uri: string;
  /** Header parameters (tag, …), lower-case names. */
  readonly params: ReadonlyMap<string, string>;
}

// Splits `;a=1;b="x;y=z"` at the semicolons outside quoted strings (RFC 3261 §25.1: gen-value may be
// a quoted-string, which may hold ';' and '='; a plain split refused such a From or cut its value).
function splitParams(text: string, header: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) throw new SipParseError(`Bad ${header}`);
  parts.push(text.slice(start));
  return parts;
}

function parseParams(text: string, header: string): Map<string, string> {
  const params = new Map<string, string>();
  if (text.trim() === '') return params;
  if (!text.trim().startsWith(';')) throw new SipParseError(`Bad ${header}`);
  for (const part of splitParams(text.trim(), header).slice(1)) {
    const eq = part.indexOf('=');
    const k = (eq < 0 ? part : part.slice(0, eq)).trim();
    const v = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!/^[A-Za-z0-9\-.!%*_+`'~]+$/.test(k)) throw new SipParseError(`Bad ${header}`);
    params.set(k.toLowerCase(), v);
  }
  return params;
}

// RFC 3261 §20.10 / §25.1: name-addr = [ display-name ] LAQUOT addr-spec RAQUOT; without angle
// brackets (addr-spec) the parameters after the URI belong to the header, not the URI.
export function parseNameAddr(value: string, header: string): NameAddr {
  const text = value.trim();
  let displayName: string | undefined;
  let rest = text;
  if (text.startsWith('"')) {
    let i = 1;
    let name = '';
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\\' && i + 1 < text.length) name += text[++i];
      else if (ch === '"') break;
      else name += ch;
    }
    if (i >= text.length) throw new SipParseError(`Bad ${header}`);
    displayName = name;
    rest = text.slice(i + 1).trimStart();
    if (!rest.startsWith('<')) throw new SipParseError(`Bad ${header}`);
  }
  const lt = rest.indexOf('<');
  if (lt !== -1) {
    const gt = rest.indexOf('>', lt);
    if (gt === -1) throw new SipParseError(`Bad ${header}`);
    const before = rest.slice(0, lt).trim();
    if (displayName === undefined && before !== '') {
      if (!/^[A-Za-z0-9\-.!%*_+`'~ \t]+$/.test(before)) throw new SipParseError(`Bad ${header}`);
      displayName = before;
    }
    const uri = rest.slice(lt + 1, gt).trim();
    if (!/^[A-Za-z][A-Za-z0-9+\-.]*:[^\s<>"]+$/.test(uri)) throw new SipParseError(`Bad ${header}`);
    return { displayName, uri, params: parseParams(rest.slice(gt + 1), header) };
  }
  const semi = rest.indexOf(';');
  const uri = (semi === -1 ? rest : rest.slice(0, semi)).trim();
  if (!/^[A-Za-z][A-Za-z0-9+\-.]*:[^\s<>",]+$/.test(uri)) throw new SipParseError(`Bad ${header}`);
  return { displayName: undefined, uri, params: parseParams(semi === -1 ? '' : rest.slice(semi), header) };
}

/** Quotes a display name (RFC 3261 §25.1 quoted-string), dropping control characters. */
export function quoteDisplayName(name: string): string {
  return `"${name.replace(/[\p{Cc}]/gu, ' ').replace(/(["\\])/g, '\\$1')}"`;
}

/** Adds `;name=value` to a sip:/tel: URI before any `?headers` part, replacing an existing one. */
export function withUriParam(uri: string, name: string, value: string): string {
  const q = uri.indexOf('?');
  const base = q === -1 ? uri : uri.slice(0, q);
  const tail = q === -1 ? '' : uri.slice(q);
  const kept = base.split(';').filter((p, i) => i === 0 || p.split('=')[0]?.toLowerCase() !== name.toLowerCase());
  return `${kept.join(';')};${name}=${value}${tail}`;
}
