import { CallshieldError } from '../errors.js';

// An emergency freeze and payment suspension (the source case's 紧急止付):
//   pending  → active     a second, different officer of the same unit approves (dual control)
//   pending  → released   withdrawn before approval
//   active   → active     extended (new expiry): one officer asks, a second one applies it
//   active   → released   released by the unit, with a reason: one officer asks (the freeze stays
//                         active, the request recorded), a second, different one releases
//   active   → expired    its time ran out without an extension
// Banks see a freeze only once it is active; each addressed account is acknowledged once.
export const FREEZE_STATES = ['pending', 'active', 'released', 'expired'] as const;
export type FreezeState = (typeof FREEZE_STATES)[number];
export type FreezeAction = 'approve' | 'extend' | 'release' | 'expire' | 'acknowledge';

/** A freeze lasts this long after approval unless extended (the 48-hour emergency suspension). */
export const FREEZE_TTL_MS = 48 * 3_600_000;
export const MAX_EXTENSION_HOURS = 7 * 24;

const ALLOWED: Record<FreezeAction, readonly FreezeState[]> = {
  approve: ['pending'],
  extend: ['active'],
  release: ['pending', 'active'],
  expire: ['active'],
  acknowledge: ['active'],
};

const PAST: Record<FreezeAction, string> = { approve: 'approved', extend: 'extended', release: 'released', expire: 'expired', acknowledge: 'acknowledged' };

export function nextFreezeState(current: FreezeState, action: FreezeAction): FreezeState {
  if (!ALLOWED[action].includes(current)) {
    throw new CallshieldError('PAYMENTS_INVALID_STATE', `a ${current} freeze cannot be ${PAST[action]}`, { field: 'status' });
  }
  if (action === 'approve') return 'active';
  if (action === 'release') return 'released';
  if (action === 'expire') return 'expired';
  return current;
}

const SECOND: Record<'approve' | 'extend' | 'release', string> = {
  approve: 'a freeze takes effect only when a second, different officer of the unit approves it',
  extend: 'you asked for this extension; a second, different officer of the unit applies it',
  release: 'you asked for this release; a second, different officer of the unit releases the freeze',
};

/**
 * Dual control: the person who filed (or asked for the extension or release) may not complete the
 * step. People, not keys, are compared: one officer holding two keys is still one officer.
 */
export function checkSecondOfficer(firstPerson: string, secondPerson: string | undefined, step: 'approve' | 'extend' | 'release' = 'approve'): void {
  if (!secondPerson || secondPerson === firstPerson) {
    throw new CallshieldError('PAYMENTS_SAME_OFFICER', SECOND[step]);
  }
}
