import type { Evidence } from '../reputation/index.js';

// Honeypot lines (issue 15): numbers nobody legitimately calls, registered by a carrier, a regulator
// or an admin. A call to one is strong evidence against the caller, but a line's owner could also
// register a real subscriber's number to hurt the people who call it, so the weight is bounded:
// each honeypot line a caller reached counts HONEYPOT_HIT_WEIGHT, one organisation's lines together
// at most HONEYPOT_ORG_CAP (score 63: a warning, never a block on one owner's word); lines of two
// independent owners together can block. Registration refuses numbers a person put on the
// do-not-call list or that another carrier's holder block covers, and every registration and
// removal is audited (docs/campaigns.md).

/** Weight of one distinct honeypot line reached (in "independent crowd reports"). */
export const HONEYPOT_HIT_WEIGHT = 2;
/** All the lines of one owner together, per caller. */
export const HONEYPOT_ORG_CAP = 4;

export interface HoneypotHit {
  readonly caller: string;
  readonly honeypot: string;
  /** The honeypot line's owner. */
  readonly org: string;
  readonly at: number;
}

/** One piece of evidence per (caller, owner): the distinct lines reached, capped, at the latest hit. */
export function honeypotEvidence(hits: readonly HoneypotHit[]): Map<string, Evidence[]> {
  const by = new Map<string, { lines: Set<string>; at: number; caller: string; org: string }>();
  for (const h of hits) {
    const key = `${h.caller}\u0000${h.org}`;
    let e = by.get(key);
    if (!e) by.set(key, (e = { lines: new Set(), at: 0, caller: h.caller, org: h.org }));
    e.lines.add(h.honeypot);
    if (h.at > e.at) e.at = h.at;
  }
  const out = new Map<string, Evidence[]>();
  for (const e of by.values()) {
    const n = e.lines.size;
    const list = out.get(e.caller) ?? [];
    list.push({
      source: 'pattern',
      category: 'robocall',
      at: e.at,
      org: e.org,
      weight: Math.min(HONEYPOT_ORG_CAP, HONEYPOT_HIT_WEIGHT * n),
      reason: 'HONEYPOT',
      origin: `Called ${n === 1 ? 'a honeypot line' : `${n} honeypot lines`} (numbers nobody legitimately calls)`,
    });
    out.set(e.caller, list);
  }
  return out;
}

/** What a campaign member inherits the moment it joins (reason CAMPAIGN): a warning's weight. */
export const CAMPAIGN_WEIGHT = 4;

const KIND_TEXT: Record<string, string> = {
  'shared-callees': 'shared callees',
  'short-lived': 'numbers each used briefly',
  'neighbour-spoofing': 'neighbour spoofing',
  'script': 'the same script',
  'payee': 'the same payee accounts',
};

/** The CAMPAIGN evidence of one membership. */
export function campaignEvidence(m: { campaignId: string; joinedAt: number; members: number; kinds: readonly string[] }): Evidence {
  return {
    source: 'pattern',
    category: 'robocall',
    at: m.joinedAt,
    weight: CAMPAIGN_WEIGHT,
    reason: 'CAMPAIGN',
    origin: `Part of campaign ${m.campaignId.slice(0, 8)}: ${m.members} numbers tied by ${m.kinds.map((k) => KIND_TEXT[k] ?? k).join(', ')}`,
  };
}
