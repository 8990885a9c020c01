/** What kind of caller an identifier names. */
export type IdentifierKind = 'phone' | 'email' | 'account' | 'sip' | 'anonymous';

/**
 * A caller or callee identifier in its one canonical string form:
 * - phone: E.164 (`+8613800138000`)
 * - email: lower-cased address (`scammer@icloud.com`), the FaceTime-style video caller
 * - account: `account:<platform>:<id>` for a platform account id (`account:zoom:8841203`)
 * - sip: `sip:user@host` for a SIP URI whose user part is not a phone number
 * - anonymous: `anonymous` for withheld / private / restricted callers
 */
export interface Identifier {
  readonly kind: IdentifierKind;
  readonly canonical: string;
}

export interface ParseOptions {
  /** ISO 3166 region used for national number formats (`021 5555 1234` with CN). */
  readonly defaultRegion?: string;
}
