import { createHash } from 'node:crypto';
import { serialiseCanonicalJson } from './canonical-json.js';

// Rich Call Data (RFC 9795): the signer puts the caller's name (`rcd.nam`) and more in the
// PASSporT; the PASSporT signature covers them. `rcdi` adds digests ("sha256-<base64>") keyed by
// JSON pointer into `rcd`, so content the token only references or embeds can be checked too.
// We check the digests of inline content (jcd, nam…); URL-referenced content (icn, jcl) is not
// fetched, and is reported as unchecked. Only a name from a PASSporT that passed is ever shown.

export interface RichCallDataResult {
  /** The caller name the signer asserted (rcd.nam), when it is a usable display string. */
  nam?: string;
  /** Call reason (crn), RFC 9795 §5. */
  crn?: string;
  /** True when the name may be shown: rcd well formed and every checkable rcdi digest matches. */
  verified: boolean;
  /** Why it is not verified. */
  reason?: string;
  /** rcdi pointers to URL content that was not fetched, so not checked. */
  unchecked?: string[];
}

const MAX_NAME = 256;
// No control characters: the name ends up in SIP headers and on phone screens.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const INTEGRITY = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/;

function atPointer(root: unknown, pointer: string): unknown {
  if (!pointer.startsWith('/')) return undefined;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Reads and checks `rcd`/`rcdi`/`crn` from the PASSporT claims; undefined when there is no rcd. */
export function readRichCallData(claims: Readonly<Record<string, unknown>>): RichCallDataResult | undefined {
  const { rcd, rcdi, crn } = claims;
  if (rcd === undefined) return undefined;
  const refuse = (reason: string): RichCallDataResult => ({ verified: false, reason });
  if (rcd === null || typeof rcd !== 'object' || Array.isArray(rcd)) return refuse("'rcd' is not an object (RFC 9795 §6)");
  const { nam } = rcd as Record<string, unknown>;
  if (typeof nam !== 'string' || nam.trim() === '') return refuse("'rcd.nam' is missing or not a string (RFC 9795 §6.1)");
  if (nam.length > MAX_NAME || CONTROL.test(nam)) return refuse("'rcd.nam' is too long or holds control characters");
  const result: RichCallDataResult = { nam: nam.trim(), verified: true };
  if (typeof crn === 'string' && crn.length <= MAX_NAME && !CONTROL.test(crn)) result.crn = crn;
  if (rcdi === undefined) return result;
  if (rcdi === null || typeof rcdi !== 'object' || Array.isArray(rcdi)) return { ...refuse("'rcdi' is not an object (RFC 9795 §7)"), nam: result.nam };
  const unchecked: string[] = [];
  for (const [pointer, digest] of Object.entries(rcdi as Record<string, unknown>)) {
    const value = atPointer(rcd, pointer);
    if (value === undefined) return { ...refuse(`'rcdi' names ${pointer}, which 'rcd' does not hold`), nam: result.nam };
    const m = typeof digest === 'string' ? INTEGRITY.exec(digest) : null;
    if (m === null) return { ...refuse(`'rcdi' ${pointer} is not an integrity string (sha256-<base64>)`), nam: result.nam };
    if (typeof value === 'string' && /^https?:\/\//i.test(value)) {
      unchecked.push(pointer);
      continue;
    }
    const content = typeof value === 'string' ? value : serialiseCanonicalJson(value);
    const actual = createHash(m[1] as string).update(content, 'utf8').digest('base64');
    if (actual !== m[2]) return { ...refuse(`'rcdi' digest for ${pointer} does not match its content`), nam: result.nam };
  }
  if (unchecked.length > 0) result.unchecked = unchecked;
  return result;
}
