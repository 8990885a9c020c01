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
  return { ...decision, verification: outcome.verification };
}
