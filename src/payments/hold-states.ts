import { CallshieldError } from '../errors.js';

// held → released (a bank officer called the customer back on the known number and the customer
// confirmed, unpressured) | returned (the money goes back to the payer: a scam, or no call-back
// reached the customer before the deadline). Both ends are final.
export const HOLD_STATES = ['held', 'released', 'returned'] as const;
export type HoldState = (typeof HOLD_STATES)[number];
export type HoldAction = 'release' | 'return';

const NEXT: Record<HoldAction, HoldState> = { release: 'released', return: 'returned' };

/** Default time a bank has for the call-back check before the hold returns the money on its own. */
export const HOLD_DEADLINE_MS = 24 * 3_600_000;

export function nextHoldState(current: HoldState, action: HoldAction): HoldState {
  if (current !== 'held') {
    throw new CallshieldError('PAYMENTS_INVALID_STATE', `the hold is already ${current}; only a held transfer can be ${NEXT[action]}`, { field: 'status' });
  }
  return NEXT[action];
}

export function checkStepReason(value: unknown, field = 'reason'): string {
  if (typeof value !== 'string' || value.trim().length < 3 || value.length > 1000) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'every step needs a reason of 3-1000 characters', { field });
  }
  return value.trim();
}
