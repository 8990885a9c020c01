import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import type { Actor } from '../actor.js';
import { screen } from '../screening/screen.js';
import type { ScreenInput, ScreenResult } from '../screening/screen.js';
import { verifyForScreening } from './screen.js';
import type { VerificationSummary } from './screen.js';

export interface VerifiedScreenResult extends ScreenResult {
  verification: VerificationSummary;
}

/**
 * POST /v1/screen with `identity`: verify the PASSporT, then the same decision as the plain path
 * with our verstat and attestation in place of the carrier's, plus the STIR risk points.
 */
export async function screenWithIdentity(ctx: AppContext, input: ScreenInput & { identity: string | string[] }, actor: Actor): Promise<VerifiedScreenResult> {
  const { identity, ...plain } = input;
  if (input.attestation !== undefined || input.verstat !== undefined) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'send identity (we verify it) or attestation/verstat (you verified it), not both', { field: 'identity' });
  }
  const outcome = await verifyForScreening(ctx, { caller: input.caller, callee: input.callee, identity, ...(input.callId !== undefined ? { callId: input.callId } : {}) }, actor);
  const decision = screen(ctx, { ...plain, ...(outcome.attestation ? { attestation: outcome.attestation } : {}), verstat: outcome.verstat }, actor.orgId, '', { risk: outcome.risk });
  outcome.commit();
  return { ...withSignedName(decision, outcome.verification), verification: outcome.verification };
}

/**
 * RFC 9795: a caller name the originating carrier signed (rcd.nam, integrity checked) replaces
 * "Unknown caller"; it never hides a reputation label, a verified holder or a failed check.
 */
function withSignedName(decision: ScreenResult, verification: VerificationSummary): ScreenResult {
  const rcd = verification.rcd;
  if (rcd?.verified !== true || rcd.nam === undefined || decision.label !== 'Unknown caller') return decision;
  return {
    ...decision,
    label: `${rcd.nam} (name signed by the caller's carrier)`,
    reasons: [...decision.reasons, { code: 'STIR_SIGNED_NAME', text: `The originating carrier signed the caller name '${rcd.nam}' (RFC 9795)` }],
  };
}
