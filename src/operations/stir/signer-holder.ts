import type { AppContext } from '../../app-context.js';
import type { VerificationResult } from '../../stir/index.js';
import type { HolderBlock } from '../../governance/types.js';
import { loadedGovernance } from '../governance/state.js';
import { spcsOfCarrier } from './carrier-spcs.js';

// What only callshield knows (issue 13 part 2 item 9): the holder registry says which carrier holds
// a number, and the signers configured here say which SPC that carrier signs with. A call attested
// A by a certificate with another SPC was vouched for by a carrier that does not hold the number:
// legitimate at times (a ported number the registry has not caught up with, an enterprise's second
// carrier), but also what a carrier selling A to spoofers looks like. It stays a passed check, with
// the reason STIR_SIGNER_NOT_HOLDER, and is counted apart in the number's attestation history.
// Nothing is judged when the number has no holder block or its carrier configured no signer here.

/** The holder block of a number in +E.164, from memory (undefined when none or not loaded). */
export function holderBlockOf(ctx: AppContext, e164: string): HolderBlock | undefined {
  const s = loadedGovernance(ctx);
  if (!s || s.holders.size === 0 || !e164.startsWith('+')) return undefined;
  return s.holders.lookup(e164.slice(1)) ?? undefined;
}

/** Whether the SPC is the holder carrier's: undefined when it cannot be told. */
export function signerIsHolder(ctx: AppContext, block: HolderBlock | undefined, spc: string | null | undefined): boolean | undefined {
  if (block === undefined || spc === undefined || spc === null) return undefined;
  const spcs = spcsOfCarrier(ctx, block.carrierOrgId);
  if (spcs === undefined || spcs.size === 0) return undefined;
  return spcs.has(spc);
}

/** Marks a call that passed with A from a carrier that does not hold the calling number. */
export function checkSignerHolder(ctx: AppContext, result: VerificationResult, callerE164: string): VerificationResult {
  if (result.verstat !== 'TN-Validation-Passed' || result.attest !== 'A') return result;
  const block = holderBlockOf(ctx, callerE164);
  if (signerIsHolder(ctx, block, result.spc) !== false) return result;
  return { ...result, signerNotHolder: block!.carrierName };
}
