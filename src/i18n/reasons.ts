// The English wording of every reason code, as patterns: the domain writes reasons as
// { code, text } in English; the edge matches `text` against its code's patterns to recover the
// values (named groups) and renders the same variant from the reader's catalogue. Reasons stored
// before a wording changed keep their English text (a pattern that does not match leaves it as is).
// test/unit/i18n-catalogue.test.ts checks that every code the source emits is listed here and that
// each language renders every variant.

const ANY = '(?<desc>.+)';
const NAME = (g: string): string => `(?<${g}>.+?)`;

function p(source: string): RegExp {
  return new RegExp(`^${source}$`);
}

export const REASON_PATTERNS: Readonly<Record<string, readonly RegExp[]>> = {
  // screening
  ALLOW_PREFIX: [p('Your policy allows numbers starting with (?<prefix>\\S+)')],
  BLOCK_PREFIX: [p('Your policy (?<verb>blocks|silences) numbers starting with (?<prefix>\\S+)')],
  QUIET_HOURS: [p('Quiet hours \\((?<start>[^-]+)-(?<end>[^,]+), (?<tz>[^)]+)\\): callers who are not your contacts are silenced')],
  RING_REPEAT: [p('The same number called within (?<minutes>\\d+) minutes: this call rings')],
  HONEYPOT: [p('Called (?:a honeypot line|(?<n>\\d+) honeypot lines) \\(numbers nobody legitimately calls\\)')],
  CAMPAIGN: [p('Part of campaign (?<id>\\S+): (?<members>\\d+) numbers tied by (?<kinds>.+)')],
  CONTACT: [p('The caller is in your contacts')],
  PINNED_BUSINESS: [p('You pinned this business as trusted')],
  CONFIRMED_LIST: [p('On a police or regulator confirmed fraud list')],
  CALLER_ID_FAILED: [p('The caller ID signature failed verification \\(STIR/SHAKEN\\); the number may be spoofed')],
  ATTESTATION_C: [p('The originating carrier only vouches for the gateway, not for the number \\(attestation C\\)')],
  VERIFIED_HOLDER: [p(`The number is registered to ${NAME('name')} \\((?<use>[^()]+)\\); the carrier verified who holds it`)],
  REGISTERED_HOLDER: [p(`The number is registered to ${NAME('name')} \\((?<use>[^()]+)\\), identity not verified`)],
  GUARDIAN_MODE: [p('Guardian mode is on: stricter thresholds apply'), p('Guardian mode is on for this payer: the thresholds are halved')],
  WITHHELD: [p('The caller hid their identity')],
  VIDEO_STRANGER: [p('A video call from someone who is not in your contacts')],
  SILENCE_UNKNOWN_VIDEO: [p('Your policy silences video calls from strangers')],
  PROTECTION_PAUSED: [p('Protection is paused; without the pause this call would be: (?<action>[a-z]+)')],
  NO_EVIDENCE: [p('Nothing is known against this caller')],
  CLAIM_UNREGISTERED: [p(`The caller claimed to be ${NAME('claim')}, but no organisation has registered this number`)],
  CLAIM_MATCHES_HOLDER: [p(`The caller's claim fits the registered holder, (?<name>.+)`)],
  CLAIM_NOT_HOLDER: [p(`The caller claimed to be ${NAME('claim')}, but the number is registered to (?<name>.+)`)],
  REPUTATION: [p('Risk score (?<score>\\d+)/100: (?<label>.+)')],
  // reputation
  APPEAL_UPHELD: [p('An appeal was upheld on (?<date>\\d{4}-\\d{2}-\\d{2}); earlier reports no longer count')],
  PARTNER_LIST: [p('Listed by (?<source>police|a regulator|a carrier|a bank|a platform)'), p('On (?<n>\\d+) (?<source>[a-z]+) lists')],
  CROWD_REPORTS: [p('(?<days>\\d+) reports? from (?<reporters>\\d+) subscribers?(?:, mostly (?<category>[a-z-]+))?')],
  SINGLE_REPORTER: [p('Only one subscriber has reported it; one report alone does not flag a caller')],
  CROWD_CAPPED: [p('Reports through one organisation count at most as six independent reports: one organisation alone can warn, never block')],
  CLAIMED_ORGANIZATION: [p('Callers claimed to be (?<name>.+)')],
  NOT_SPAM_FEEDBACK: [p('(?<n>\\d+) subscribers? marked it as not spam')],
  // governance (complaints and scrubbing)
  UNREGISTERED_NUMBER: [p('No carrier has registered who holds this number; the complaint goes to the regulator')],
  HOLDER: [p(`The number is held by ${NAME('name')} \\((?<level>[a-z]+)\\), declared for (?<use>[a-z-]+), through (?<carrier>.+)`)],
  CONSENT_ON_RECORD: [p('(?<name>.+) has a consent on record from this person for marketing')],
  CONSENT_REVOKED: [p('The person had revoked their consent to (?<name>.+) before the call'), p('The person revoked their consent to this business for this purpose')],
  NO_CONSENT: [p('The person never consented and no consent is on record: marketing calls need explicit consent'), p("Marketing calls need the person's explicit consent, and this business has none")],
  PERSON_SAYS_CONSENTED: [p('The person says they had consented, but no consent is on record')],
  DNC_REGISTERED: [p("The person's number is on the do-not-call list"), p('The person registered this number on the do-not-call list')],
  USE_MISMATCH: [p('Marketing from a number block declared for (?<use>[a-z-]+)')],
  INVALID_NUMBER: [p('The number cannot be parsed as a phone number')],
  CONSENT_SUPERSEDED: [p('The person registered on the do-not-call list after giving this consent: the later registration wins')],
  CONSENT_EXPIRED: [p('The consent of this business for this purpose and channel has expired')],
  // payments
  CALLER_IS_CONTACT: [p('Sharing a screen with a contact is not marked as risky')],
  NO_RISKY_CALL: [p('No screen sharing was reported for this subscriber')],
  PAYEE_CONFIRMED: [p('Police have confirmed this account is used in fraud\\. Do not pay it\\.')],
  PAYEE_SUSPECTED: [
    p('This account is suspected of being used in fraud\\. Do not pay it before you have checked with your bank\\.'),
    p('The payee account is flagged as suspected fraud \\((?<source>[^()]+)\\)'),
    p('(?<n>\\d+) subscribers reported the payee account as a "safe account" a caller gave them'),
  ],
  PAYEE_REPORTED: [
    p('A subscriber reported this account as a "safe account" a caller gave them\\. No real "safe account" exists\\.'),
    p('A subscriber reported the payee account as a "safe account" a caller gave them'),
  ],
  NOT_FLAGGED: [p('Nothing is known against this account')],
  RISKY_CALL_ACTIVE: [p(`The payer is on a call right now with ${NAME('caller')} that the conversation guard judged risky \\((?<risk>\\d+)%\\)(?: \\(script stages: (?<stages>[a-z, -]+)\\))?`)],
  RISKY_CALL_RECENT: [p(`The payer was on a call (?<minutes>\\d+) minutes? ago with ${NAME('caller')} that the conversation guard judged risky \\((?<risk>\\d+)%\\)(?: \\(script stages: (?<stages>[a-z, -]+)\\))?`)],
  SCREEN_SHARING: [p("The payer's app reports the screen is shared during a call with (?<caller>.+), a stranger")],
  AMOUNT_UNUSUAL: [p("The amount is (?<ratio>[\\d.]+) times the payer's usual payment \\(median (?<median>[\\d.]+) over (?<count>\\d+) payments\\)")],
  FREEZE_ACTIVE: [p('The payee account is under an active police emergency freeze and payment suspension')],
  PAYEE_CONFIRMED_MULE: [p('The payee account is confirmed by (?<source>.+) as a fraud \\(mule\\) account')],
  FIRST_TIME_PAYEE: [p('The payer has never paid this account before')],
  PAYER_NOT_ENROLLED: [p('The payer is not enrolled with callshield, so calls and screen sharing could not be checked')],
  NO_RISK_FOUND: [p('No risk signal: a known payee, a usual amount, no risky call')],
  // STIR/SHAKEN
  STIR_REPLAYED: [p('The caller-ID signature was already used on another call \\(a replayed PASSporT\\)')],
  STIR_SIGNED_NAME: [p("The originating carrier signed the caller name '(?<name>.*)' \\(RFC 9795\\)")],
  STIR_ATTEST_A: [p('The caller ID is fully attested \\(A\\) by the originating carrier')],
  STIR_ATTEST_B: [p('The originating carrier knows the caller but not that it may use this number \\(B\\)')],
  STIR_ATTEST_C: [p('The call entered through a gateway; the caller ID is not vouched for \\(C\\)')],
  STIR_VERIFICATION_FAILED: [p(`Caller-ID verification failed(?:: ${ANY})?`)],
  STIR_UNSIGNED: [p('The call is unsigned although calls from this number usually are')],
  STIR_SIGNER_NOT_HOLDER: [p('Attested A by a carrier that does not hold the number \\(the holder registry names (?<name>.+)\\)')],
  STIR_SPOOFING_SUSPECTED: [p('Calls from this number are usually fully attested \\(A in (?<a>\\d+) of (?<total>\\d+)\\); this one is (?<attest>[A-Za-z]+)')],
};
