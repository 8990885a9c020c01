import type { Reason } from '../reputation/index.js';

/** Why a call is made; consent and the do-not-call rules are checked per purpose. */
export const PURPOSES = ['marketing', 'research', 'notifications', 'customer-service'] as const;
export type Purpose = (typeof PURPOSES)[number];

/** What a number holder declares a number block is used for. */
export const USES = ['customer-service', 'marketing', 'notifications'] as const;
export type DeclaredUse = (typeof USES)[number];

/** How well the carrier verified who holds a block: a name on a form, checked papers, or verified in person / by licence. */
export const IDENTITY_LEVELS = ['declared', 'documented', 'verified'] as const;
export type IdentityLevel = (typeof IDENTITY_LEVELS)[number];

/** How a business reaches the person: a consent names one of these, or "any". */
export const CONTACT_CHANNELS = ['voice', 'sms', 'video'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const CONSENT_CHANNELS = [...CONTACT_CHANNELS, 'any'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

/**
 * A consent lasts a year from when it was given unless the business names a shorter or longer
 * term, and never more than two: consent is specific and informed (PIPL Art. 14), and a person
 * who agreed once should not stay callable for ever on a record they have long forgotten.
 */
export const CONSENT_DEFAULT_TERM_MS = 365 * 86_400_000;
export const CONSENT_MAX_TERM_MS = 2 * 365 * 86_400_000;

export const OUTCOMES = ['warned', 'suspended', 'dismissed'] as const;
export type ComplaintOutcome = (typeof OUTCOMES)[number];

export type BlockKind = 'number' | 'prefix' | 'range';

/** A number resource: digits of E.164 without the "+". `number` and `range` cover one length; `prefix` every number starting with it. */
export interface NumberBlock {
  readonly kind: BlockKind;
  readonly first: string;
  readonly last: string;
}

export interface HolderBlock extends NumberBlock {
  readonly id: string;
  readonly carrierOrgId: string;
  readonly carrierName: string;
  readonly holder: string;
  readonly identityLevel: IdentityLevel;
  readonly use: DeclaredUse;
  /** The business organisation (its id) that holds the numbers, when the carrier named it: only it may appeal their labels. */
  readonly holderOrgId?: string | null;
}

// What screening learns from the registry is screening's own type: the registry fills it in.
export type { CallerHolder } from '../screening/types.js';

/** One consent as the in-memory index keeps it. Times in ms since epoch. */
export interface ConsentState {
  readonly id: string;
  readonly businessKey: string;
  readonly purpose: Purpose;
  readonly channel: ConsentChannel;
  readonly grantedAt: number;
  readonly revokedAt: number | null;
  readonly expiresAt: number;
}

export interface ScrubOutcome {
  readonly callable: boolean;
  readonly reasons: readonly Reason[];
}

export type { Reason };
