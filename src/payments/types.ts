import type { Reason } from '../reputation/index.js';

export type { Reason };

export const ACCOUNT_KINDS = ['card', 'iban', 'platform', 'btc', 'eth'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** A payee account in its one canonical spelling (see parse-account.ts for each kind's form). */
export interface PayeeAccount {
  readonly kind: AccountKind;
  readonly canonical: string;
}

/**
 * How sure the flag is: `confirmed` = a police-confirmed mule account (blocks), `suspected` = a bank's
 * suspicion or a victim's case report (holds), `reported` = one subscriber reported it as a "safe
 * account" given during a call (a signal, never enough alone: one person cannot stop an account).
 */
export type FlagLevel = 'confirmed' | 'suspected' | 'reported';

export interface PayeeFlag {
  readonly id: string;
  readonly level: FlagLevel;
  readonly source: string;
  readonly orgId: string;
  /** ms since epoch; undefined = no expiry. */
  readonly expiresAt?: number | undefined;
  /** Hashed reporter for `reported` flags, so two reports by one subscriber count once. */
  readonly reporter?: string | null | undefined;
}

export type TransferDecisionKind = 'allow' | 'confirm' | 'hold' | 'block';
export type Language = 'en' | 'zh';

/** What the conversation guard (or the app's screen-sharing report) says about the payer's calls. */
export interface RiskyCallSignal {
  readonly caller: string;
  readonly stage: string | null;
  readonly stages: readonly string[];
  readonly risk: number;
  /** ms since epoch of the mark's last update. */
  readonly at: number;
  readonly screenSharing: boolean;
  readonly active: boolean;
}

export interface AmountHistory {
  readonly count: number;
  readonly mean: number;
  /** The most recent amounts (newest last), for the median. */
  readonly recent: readonly number[];
}

export interface TransferSignals {
  readonly amount: number;
  readonly now: number;
  readonly riskyCall?: RiskyCallSignal | undefined;
  /** How long after its last update a risky-call mark still counts (ms). */
  readonly riskyWindowMs: number;
  /** Live flags on the payee account (expired ones may be passed; they are ignored). */
  readonly payeeFlags: readonly PayeeFlag[];
  /** The payee account is under an active police freeze and payment suspension. */
  readonly payeeFrozen?: boolean;
  /** The payer has paid this payee before. */
  readonly knownPayee: boolean;
  readonly history?: AmountHistory | undefined;
  readonly guardianMode: boolean;
  readonly language: Language;
  /** False when the bank has not linked the payer to a subscriber: no call signals can exist. */
  readonly enrolled?: boolean;
}

export interface TransferDecision {
  readonly decision: TransferDecisionKind;
  /** Sum of the signal weights, 0..; the thresholds are in decide-transfer.ts. */
  readonly score: number;
  readonly reasons: Reason[];
  readonly message?: string;
  readonly coolingOffSeconds?: number;
}
