export const CATEGORIES = ['fraud', 'impersonation', 'harassment', 'robocall', 'spam-ad', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The channels a call comes on; a report may also be about a text message. */
export const CALL_CHANNELS = ['pstn', 'video', 'voip'] as const;
export const REPORT_CHANNELS = [...CALL_CHANNELS, 'sms'] as const;

/** Where a piece of evidence comes from; each source has its own weight and decay (docs/scoring.md). */
export type EvidenceSource = 'crowd' | 'police' | 'regulator' | 'carrier' | 'bank' | 'platform' | 'pattern' | 'attestation';

export interface Evidence {
  readonly source: EvidenceSource;
  readonly category: Category;
  /** When it happened (ms since epoch). */
  readonly at: number;
  /** Hashed reporter reference, for crowd reports and feedback. */
  readonly reporter?: string;
  /**
   * The organisation that put it in (the app or platform behind a report, the partner behind a
   * list). One organisation's crowd evidence is capped as a whole (docs/scoring.md); evidence
   * without one counts as one unknown organisation.
   */
  readonly org?: string;
  /** When callshield first saw this reporter (ms since epoch): reporters first seen recently weigh less. */
  readonly reporterSince?: number;
  /** The partner list it comes from, for the decider's view and for lifting an entry. */
  readonly listId?: string;
  /** 0..1; a reporter with a history of false reports weighs less. */
  readonly credibility?: number;
  /** List entries stop counting at their expiry (ms since epoch). */
  readonly expiresAt?: number;
  readonly claimedOrganization?: string;
  /** "Not spam" feedback counts against the other evidence. */
  readonly negative?: boolean;
  /** Explicit weight for machine evidence (call patterns, attestation); lists and reports use the source weight. */
  readonly weight?: number;
  /** Name of the list or analysis that produced it, for the reasons. */
  readonly origin?: string;
  /** The reason code machine evidence shows (default CALL_PATTERN for patterns, CALLER_ID_HISTORY otherwise), e.g. HONEYPOT, CAMPAIGN. */
  readonly reason?: string;
}

export interface Reason {
  readonly code: string;
  readonly text: string;
}

export interface Reputation {
  /** 0 (nothing known against it) .. 100 (certain fraud). */
  readonly score: number;
  readonly category: Category | null;
  /** 0..1: how much and how consistent the evidence is. */
  readonly confidence: number;
  /** The short text a phone can show: "Suspected fraud · poses as bank customer service · 37 reports". */
  readonly label: string;
  readonly reasons: readonly Reason[];
  /** Distinct subscribers whose reports counted (a reporter's repeats count once). */
  readonly reports: number;
  /** On a police or regulator confirmed list. */
  readonly confirmed: boolean;
  readonly claimedOrganization: string | null;
}

/**
 * What an upheld appeal leaves behind: crowd evidence (reports, feedback, complaints) from before
 * this no longer counts. Partner listings are not cleared: they end when they expire, when their
 * owner lifts them, or when an upheld appeal names them (that entry is then lifted in the store).
 */
export interface Clearance {
  readonly clearedAt: number;
}
