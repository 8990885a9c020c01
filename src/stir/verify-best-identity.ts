import { quickPpt, splitOutside, stripHeaderName } from './identity-header.js';
import { verifyIdentity } from './verify-identity.js';
import type { CallContext, VerifyDependencies } from './verify-identity.js';
import type { VerificationResult } from './types.js';

// RFC 8224 §4 lets a request carry several Identity headers, and a call that crossed two signing
// networks (or was re-signed after a transit) can carry two SHAKEN ones. Each is tried, and the
// best outcome counts: passed with A > passed with B > passed with C > any failure. Among
// failures the first header's outcome is kept (what a single-header verifier reports): a failure
// is not made milder by adding a junk header beside it.

/** Headers beyond this many are not tried: each may name its own x5u, i.e. one fetch each. */
export const MAX_IDENTITY_CANDIDATES = 4;

/** The Identity values that are candidates, in request order: ppt=shaken ones, else those without ppt. */
export function shakenIdentityCandidates(headers: string | readonly string[]): string[] {
  const values: string[] = [];
  for (const h of typeof headers === 'string' ? [headers] : headers) {
    if (typeof h !== 'string') continue;
    const text = stripHeaderName(h);
    for (const v of text.includes(',') ? splitOutside(text, ',') : [text]) if (v.trim() !== '') values.push(v.trim());
  }
  const shaken = values.filter((v) => quickPpt(v) === 'shaken');
  return (shaken.length > 0 ? shaken : values.filter((v) => quickPpt(v) === undefined)).slice(0, MAX_IDENTITY_CANDIDATES);
}

/** Higher is better: 3 passed A, 2 passed B, 1 passed C (or no attest), 0 any failure. */
export function verificationRank(result: VerificationResult): number {
  if (result.verstat !== 'TN-Validation-Passed') return 0;
  return result.attest === 'A' ? 3 : result.attest === 'B' ? 2 : 1;
}

/**
 * verifyIdentity over every SHAKEN Identity header of a call, keeping the best outcome (above).
 * One header (the usual case) is exactly verifyIdentity; a passed A ends the search early.
 */
export async function verifyBestIdentity(identity: string | readonly string[] | undefined | null, call: CallContext, deps: VerifyDependencies): Promise<VerificationResult> {
  return (await verifyBestIdentityToken(identity, call, deps)).result;
}

/** The same, also naming the JWS whose outcome was kept (for replay detection). */
export async function verifyBestIdentityToken(
  identity: string | readonly string[] | undefined | null,
  call: CallContext,
  deps: VerifyDependencies,
): Promise<{ result: VerificationResult; jws: string | undefined }> {
  const candidates = identity === undefined || identity === null ? [] : shakenIdentityCandidates(identity);
  const jwsOf = (value: string | undefined): string | undefined => value?.split(';', 1)[0]?.trim();
  if (candidates.length <= 1) return { result: await verifyIdentity(identity, call, deps), jws: jwsOf(candidates[0]) };
  let best: { result: VerificationResult; jws: string | undefined } | undefined;
  for (const candidate of candidates) {
    const result = await verifyIdentity(candidate, call, deps);
    if (best === undefined || verificationRank(result) > verificationRank(best.result)) best = { result, jws: jwsOf(candidate) };
    if (verificationRank(result) === 3) break;
  }
  return best as { result: VerificationResult; jws: string | undefined };
}
