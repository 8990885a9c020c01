import type { Identifier } from '../identity/index.js';
import { CALL_CHANNELS } from '../reputation/index.js';
import type { Category, Reason } from '../reputation/index.js';

export const CHANNELS = CALL_CHANNELS;
export type Channel = (typeof CHANNELS)[number];
export const ACTIONS = ['allow', 'label', 'warn', 'silence', 'block'] as const;
export type Action = (typeof ACTIONS)[number];
export type Attestation = 'A' | 'B' | 'C';
export type Verstat = 'TN-Validation-Passed' | 'TN-Validation-Failed' | 'No-TN-Validation';
export type Language = 'en' | 'zh';

export interface ScreenCall {
  readonly caller: Identifier;
  readonly callee: Identifier;
  readonly channel: Channel;
  readonly attestation?: Attestation | undefined;
  readonly verstat?: Verstat | undefined;
  /**
   * Caller-ID points beyond attestation/verstat, worked out by the caller of screenCall (STIR/SHAKEN
   * attestation history, verification detail); added to the score as they are.
   */
  readonly callerIdRisk?: CallerIdRisk | undefined;
  /** ms since epoch */
  readonly at: number;
  /** The same caller called this subscriber before, within the policy's ringRepeatWithinMinutes (worked out by the caller of screenCall). */
  readonly repeatCall?: boolean;
}

export interface CallerIdRisk {
  /** Score points (negative lowers the score; the result stays within 0..100). */
  readonly delta: number;
  readonly reasons: readonly Reason[];
  /** The caller ID looks spoofed: the decision carries the "spoofed" advice. */
  readonly spoofingSuspected?: boolean;
}

/** A subscriber's own screening policy, as the app sends it (identifiers still in the clear). */
export interface PolicyInput {
  contacts?: string[];
  pinnedBusinesses?: string[];
  silenceUnknownVideo?: boolean;
  guardianMode?: boolean;
  paused?: boolean;
  blockWithheld?: boolean;
  language?: Language;
  /** E.164 prefixes ("+1900") whose callers get `blockPrefixAction` with the reason BLOCK_PREFIX. */
  blockPrefixes?: string[];
  /** `block` (default) or `silence` for callers under a blocked prefix. */
  blockPrefixAction?: 'block' | 'silence';
  /** E.164 prefixes whose callers are allowed like contacts (ALLOW_PREFIX); the longer match wins over a blocked prefix. */
  allowPrefixes?: string[];
  /** A second call from the same unknown number within this many minutes rings instead of being silenced (RING_REPEAT). */
  ringRepeatWithinMinutes?: number;
  /** Silence unknown callers between start and end (HH:MM, in timeZone, an IANA name) (QUIET_HOURS). */
  quietHours?: { start: string; end: string; timeZone: string };
  /** Keep the last 1,000 decisions for GET /v1/subscribers/{s}/history (deleted with the policy). */
  keepHistory?: boolean;
}

/** The subscriber rules of a policy (issue 14); absent on a policy that sets none, so screening skips them with one check. */
export interface SubscriberRules {
  readonly blockPrefixes: readonly string[];
  readonly blockPrefixAction: 'block' | 'silence';
  readonly allowPrefixes: readonly string[];
  /** 0 = off. */
  readonly ringRepeatWithinMinutes: number;
  /** Minutes after local midnight; the window may wrap midnight (start > end). */
  readonly quietHours?: { readonly start: string; readonly end: string; readonly timeZone: string; readonly startMinute: number; readonly endMinute: number };
  readonly keepHistory: boolean;
}

/** The same policy with every identifier replaced by its keyed hash; this is what is stored. */
export interface SubscriberPolicy {
  readonly contacts: ReadonlySet<string>;
  readonly pinnedBusinesses: ReadonlySet<string>;
  readonly silenceUnknownVideo: boolean;
  readonly guardianMode: boolean;
  readonly paused: boolean;
  readonly blockWithheld: boolean;
  readonly language: Language;
  readonly rules?: SubscriberRules;
}

export interface Decision {
  readonly action: Action;
  readonly score: number;
  readonly category: Category | null;
  readonly label: string;
  readonly reasons: Reason[];
  readonly advice?: string;
  /** The holder's name when the number-holder registry has a carrier-verified holder (governance). */
  readonly verifiedCaller?: string;
}

/** What screening learns from the number-holder registry about a caller (governance fills it in). */
export interface CallerHolder {
  readonly name: string;
  /** The declared use of the numbers ("customer-service", "marketing", …). */
  readonly use: string;
  /** The carrier verified the holder's identity (identity level "verified"). */
  readonly verified: boolean;
}
