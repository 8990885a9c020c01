// INVITE → screening decision → SIP response headers (docs/sip.md). A thin edge: the decision is
// the same screen() / screenWithIdentity() that POST /v1/screen runs.
import type { AppContext } from '../app-context.js';
import { CallshieldError } from '../errors.js';
import type { Actor } from '../operations/actor.js';
import { screen } from '../operations/screening/screen.js';
import type { ScreenResult } from '../operations/screening/screen.js';
import { screenWithIdentity } from '../operations/stir/screen-verified.js';
import type { VerificationSummary } from '../operations/stir/screen.js';
import { parseNameAddr, quoteDisplayName, withUriParam } from './name-addr.js';
import { SipParseError, headerValue, headerValues } from './parse-message.js';
import type { SipRequest } from './parse-message.js';

export interface SipScreeningOptions {
  /** The organisation whose policies apply (the carrier running the SIP interface). */
  readonly actor: Actor;
  /** Where a blocked caller asks for redress (ATIS-1000099 603+), carried in a jCard. */
  readonly redressUrl: string;
}

export interface SipAnswer {
  readonly status: number;
  readonly reason: string;
  /** Extra headers, name and value, in order. */
  readonly headers: Array<[string, string]>;
}

/** The caller: P-Asserted-Identity (a tel: one first, RFC 3325 allows one tel and one sip), else From. */
export function callerOf(req: SipRequest): { uri: string; header: 'P-Asserted-Identity' | 'From'; displayName: string | undefined } {
  const pais = headerValues(req.headers, 'p-asserted-identity').map((v) => parseNameAddr(v, 'P-Asserted-Identity'));
  const pai = pais.find((p) => /^tel:/i.test(p.uri)) ?? pais[0];
  if (pai) return { uri: pai.uri, header: 'P-Asserted-Identity', displayName: pai.displayName };
  const from = parseNameAddr(headerValue(req.headers, 'from') ?? '', 'From');
  return { uri: from.uri, header: 'From', displayName: from.displayName };
}

function stirFallback(err: unknown): boolean {
  return err instanceof CallshieldError && (err.code === 'STIR_VERIFIER_NOT_CONFIGURED' || (err.code === 'REQUEST_INVALID_BODY' && err.field === 'identity'));
}

/** A SIP reason phrase from free text: one line, no control characters, at most 100 characters. */
export function reasonPhrase(text: string): string {
  return text.replace(/[\p{Cc}]/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 100) || 'Bad Request';
}

function quotedText(text: string): string {
  return `"${text.replace(/[\p{Cc}]/gu, ' ').replace(/(["\\])/g, '\\$1')}"`;
}

// ATIS-1000099 (603+): the blocking network's contact for redress as a jCard (RFC 7095) in a
// data: URI, so the 603 carries it without the caller fetching anything.
export function redressJcard(redressUrl: string): string {
  const jcard = ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', 'callshield call screening'], ['url', { type: 'redress' }, 'uri', redressUrl]]];
  return `<data:application/vcard+json,${encodeURIComponent(JSON.stringify(jcard))}>;purpose=jcard`;
}

export async function screenInvite(ctx: AppContext, req: SipRequest, opts: SipScreeningOptions): Promise<SipAnswer> {
  let caller: ReturnType<typeof callerOf>;
  try {
    caller = callerOf(req);
  } catch (err) {
    if (err instanceof SipParseError) return { status: 400, reason: err.message, headers: [] };
    throw err;
  }
  const identity = headerValues(req.headers, 'identity');
  const input = { caller: caller.uri, callee: req.uri, channel: 'pstn' };
  const callId = headerValue(req.headers, 'call-id');
  let result: ScreenResult;
  let verification: VerificationSummary | undefined;
  try {
    if (identity.length > 0) {
      try {
        const r = await screenWithIdentity(ctx, { ...input, identity, ...(callId !== undefined ? { callId } : {}) }, opts.actor);
        result = r;
        verification = r.verification;
      } catch (err) {
        if (!stirFallback(err)) throw err;
        result = screen(ctx, input, opts.actor.orgId);
      }
    } else {
      result = screen(ctx, input, opts.actor.orgId);
    }
  } catch (err) {
    if (err instanceof CallshieldError && err.status < 500) {
      const what = err.field === 'callee' ? 'Request-URI' : err.field === 'caller' ? caller.header : err.field ?? 'request';
      return { status: err.code === 'IDENTITY_ANONYMOUS_NOT_ALLOWED' ? 404 : 400, reason: reasonPhrase(`Bad ${what}: ${err.message}`), headers: [] };
    }
    throw err;
  }

  const headers: Array<[string, string]> = [];
  if (verification?.reasonCode !== undefined) {
    // RFC 9410: why the STIR check failed, beside whatever the call's fate is.
    headers.push(['Reason', `STIR;cause=${verification.reasonCode};text=${quotedText(verification.reasonText ?? 'STIR verification failed')}`]);
  }
  headers.push(['X-Callshield-Action', result.action], ['X-Callshield-Score', String(result.score)]);
  if (result.category) headers.push(['X-Callshield-Category', result.category]);
  if (result.action === 'block') {
    headers.unshift(['Reason', 'SIP;cause=603;text="Network Blocked"']);
    headers.push(['Call-Info', redressJcard(opts.redressUrl)]);
    return { status: 603, reason: 'Network Blocked', headers };
  }
  headers.unshift(['Contact', `<${req.uri}>`]);
  // The identity the terminating side shows: the caller's URI with our verstat (ATIS-1000074) when
  // we checked an Identity header, and the label as its display name.
  const paiUri = verification ? withUriParam(caller.uri, 'verstat', verification.verstat) : caller.uri;
  const label = result.label.trim();
  const display = label !== '' ? label : caller.displayName;
  headers.push(['P-Asserted-Identity', `${display !== undefined && display !== '' ? `${quoteDisplayName(display)} ` : ''}<${paiUri}>`]);
  if (label !== '') {
    // RFC 9796: a jCard (purpose=jcard) naming the label, and the label as its call-reason parameter.
    const jcard = ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', label]]];
    headers.push(['Call-Info', `<data:application/vcard+json,${encodeURIComponent(JSON.stringify(jcard))}>;purpose=jcard;call-reason=${quotedText(label)}`]);
  }
  return { status: 302, reason: 'Moved Temporarily', headers };
}
