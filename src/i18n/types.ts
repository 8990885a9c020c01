// The shape every language's message catalogue has (src/i18n/messages/<locale>.ts). The domain
// returns codes, vocabulary values and its English wording; the edge (src/i18n/render.ts, called by
// the HTTP server and the webhook outbox) renders them in the reader's language from these
// catalogues. Codes never change: only the human texts next to them do.
import type { ErrorCode } from '../errors.js';
import type { Category } from '../reputation/types.js';
import type { StageId } from '../conversation/types.js';

export const LOCALES = ['en', 'zh-CN', 'zh-TW'] as const;
export type Locale = (typeof LOCALES)[number];

/** Values a reason's English wording carries (named groups of its pattern in reasons.ts). */
export type Params = Readonly<Record<string, string | undefined>>;

/** Renders one reason variant: `t` translates the nested vocabulary and labels. */
export type Render = (p: Params, t: Nested) => string;

export interface Nested {
  category(value: string): string;
  source(value: string): string;
  stages(list: string): string;
  use(value: string): string;
  level(value: string): string;
  action(value: string): string;
  attest(value: string): string;
  label(text: string): string;
}

export type AdviceKey = 'video-stranger' | 'fraud' | 'nuisance' | 'withheld' | 'spoofed';
export type CustomerMessageKey = 'riskyCall' | 'screenSharing' | 'unusual' | 'hold' | 'block' | 'frozen' | 'impersonation';
export type GuardianTextKey = 'call' | 'held';

export interface Messages {
  readonly locale: Locale;
  /** Problem documents: the title, and the detail a reader of this language gets (English keeps the specific detail). */
  readonly errors: Readonly<Record<ErrorCode, { readonly title: string; readonly detail: string }>>;
  /** Appended to a problem's detail when it names a field: "{field}" is replaced. */
  readonly field: string;
  /** One renderer per variant of each reason code, in the order of REASON_PATTERNS' variants. */
  readonly reasons: Readonly<Record<string, readonly Render[]>>;
  readonly labels: {
    readonly category: Readonly<Record<Category, string>>;
    readonly confirmedFraud: string;
    readonly noReports: string;
    readonly contact: string;
    readonly pinnedBusiness: string;
    readonly unknownCaller: string;
    readonly unverifiedCallerId: string;
    readonly numberWithheld: string;
    readonly policeList: string;
    readonly verified: (name: string) => string;
    readonly signedName: (name: string) => string;
    readonly posesAs: (name: string) => string;
    readonly reports: (n: number) => string;
    readonly separator: string;
  };
  readonly vocab: {
    readonly source: Readonly<Record<string, string>>;
    readonly stage: Readonly<Record<StageId, string>>;
    readonly use: Readonly<Record<string, string>>;
    readonly level: Readonly<Record<string, string>>;
    readonly action: Readonly<Record<string, string>>;
    readonly attest: Readonly<Record<string, string>>;
    readonly listSeparator: string;
  };
  readonly advice: {
    /** Screening decisions' advice (src/screening/advice.ts). */
    readonly screening: Readonly<Record<AdviceKey, string>>;
    /** The conversation guard's advice per stage (src/conversation/advice.ts). */
    readonly stage: Readonly<Record<StageId, string>>;
    /** What a bank shows its customer (src/payments/messages.ts); "{name}" is replaced. */
    readonly customer: Readonly<Record<CustomerMessageKey, string>>;
    /** The text of guardian webhook events. */
    readonly guardian: Readonly<Record<GuardianTextKey, string>>;
  };
}
