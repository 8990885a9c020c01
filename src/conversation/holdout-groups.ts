import type { Conversation } from './parse-dataset.js';

// Groups for leave-one-group-out evaluation: robocall campaigns and Chinese scam types. A campaign is
// recognised by the product or agency its script is about. The keywords were written from rows of
// the training split of en-robocalls only (see docs/conversation.md, "Leave one campaign out"); a
// call matching none is "other", which is held out as a group of its own too.
export const ROBOCALL_CAMPAIGNS: ReadonlyArray<readonly [name: string, pattern: RegExp]> = [
  ['ssa-legal', /social security|legal enforcement|federal agent|customs and border|border protection|leave your work aside|warrant\b|south border|legal department|\bssn\b|social insurance|concerned department|investigation officer|\bcbp\b/i],
  ['amazon-apple', /amazon|apple|paypal|iphone|macbook|airpod|order (?:number|placed)|pre-?authori[sz]ed/i],
  ['warranty', /warrant(?:y|ies)|vehicle|car's|dealer service/i],
  ['utility', /power and light|disconnection|interruption of service|delinquent|electric/i],
  ['tax', /\btax(?:es)?\b|irs\b/i],
  ['interest-rate', /interest rate|0% interest|zero percent|payment history|credit card (?:accounts|debt)/i],
  ['tv-discount', /direc ?tv|direct ?tv|satellite tv|spectrum|50% off|cable/i],
  ['loans-debt', /\bloans?\b|debt|student|eligibility program/i],
  ['travel', /\bstay\b|vacation|resort|cruise|hotel/i],
  ['tech-support', /microsoft|computer|windows|hijack|virus|help center/i],
];

/** The robocall campaign a call belongs to, by its first matching keyword group; "other" if none. */
export function robocallCampaign(c: Conversation): string {
  const text = c.turns.map((t) => t.text).join(' ');
  for (const [name, re] of ROBOCALL_CAMPAIGNS) if (re.test(text)) return name;
  return 'other';
}

/** The group a scam row is held out with: its robocall campaign, or its source category (zh scam type). */
export function holdoutGroup(c: Conversation, source: 'robocall' | 'zh'): string {
  return source === 'robocall' ? robocallCampaign(c) : c.category || 'other';
}
