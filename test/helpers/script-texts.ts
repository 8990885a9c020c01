// Transcripts of one scam script in a chain: chained(i) and chained(i + 1) share five of six
// segments (their fingerprints are similar, a campaign tie), chained(i) and chained(i + 2) four
// (not similar): three callers tie only through the middle one.
const SEGMENTS = [
  'This is the national tax office calling about your unpaid tax for last year.',
  'Your bank account will be frozen today unless you act at once.',
  'Move the balance to the safe account we give you before five o clock.',
  'Do not tell anyone at the bank about this call or a warrant is issued.',
  'An officer will call you back to read your case number and the fine.',
  'Install the meeting app now so our agent can guide you on your screen.',
  'Read me the code we just sent to your phone to verify your identity.',
  'If you hang up the court will send police to your home tonight.',
];

/** Six segments from `from` (0-2). */
export const chained = (from: number): string => SEGMENTS.slice(from, from + 6).join(' ');
