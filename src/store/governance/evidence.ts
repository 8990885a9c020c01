import type { Kysely } from 'kysely';
import type { Category, Evidence } from '../../reputation/index.js';
import type { Database } from '../schema.js';
import type { Engine } from '../open-database.js';
import { campaignEvidence, honeypotEvidence } from '../../campaigns/index.js';
import { membershipsOf } from '../campaigns/campaigns.js';
import { honeypotHitsOf } from '../campaigns/honeypots.js';
import { listIn, preparedQuery } from '../prepared-query.js';

const ms = (iso: string): number => Date.parse(iso);
const KEEP_CATEGORY = new Set(['fraud', 'impersonation']);

/** What governance knows of a set of identifiers, as rows (governanceRows, or store/reputation/evidence.ts's single read). */
export interface GovernanceRows {
  patterns: { identifier: string; category: string; origin: string; at: string }[];
  memberships: Awaited<ReturnType<typeof membershipsOf>>;
  hits: Awaited<ReturnType<typeof honeypotHitsOf>>;
  complaints: { caller: string; callee_hash: string; org_id: string; category: string; claimed_org: string | null; occurred_at: string; violations: string }[];
}

/** The four governance reads, together (on PostgreSQL, on connections of their own). */
export async function governanceRows(db: Kysely<Database>, identifiers: readonly string[]): Promise<GovernanceRows> {
  const [patterns, memberships, hits, complaints] = await Promise.all([patternsOf(db, identifiers), membershipsOf(db, identifiers), honeypotHitsOf(db, identifiers), complaintsOf(db, identifiers)]);
  return { patterns, memberships, hits, complaints };
}

/**
 * The governance evidence in these rows, added in the same order as ever: call-pattern flags from
 * CDR analysis (source "pattern", with the readable origin), campaign memberships and honeypot
 * hits, and complaints (one more subscriber's voice: source "crowd", one reporter per complaining
 * callee, harassment unless it was fraud or impersonation). A complaint the carrier dismissed is
 * not evidence (complaintsQuery leaves it out).
 */
export function addGovernanceEvidence(rows: GovernanceRows, add: (identifier: string, e: Evidence) => void): void {
  const { patterns, memberships, hits, complaints } = rows;
  for (const p of patterns) add(p.identifier, { source: 'pattern', category: p.category as Category, at: ms(p.at), origin: p.origin });
  for (const m of memberships) {
    const kinds = (JSON.parse(m.evidence) as { kind: string }[]).map((e) => e.kind);
    add(m.caller, campaignEvidence({ campaignId: m.campaign_id, joinedAt: ms(m.joined_at), members: m.members, kinds }));
  }
  // Calls to honeypot lines (issue 15): bounded per line owner (src/campaigns/honeypot.ts).
  if (hits.length) {
    for (const [caller, list] of honeypotEvidence(hits.map((h) => ({ caller: h.caller, honeypot: h.honeypot, org: h.org_id, at: ms(h.at) })))) for (const e of list) add(caller, e);
  }
  for (const c of complaints) {
    const impersonation = c.violations.includes('CLAIM_');
    add(c.caller, {
      source: 'crowd',
      category: (impersonation ? 'impersonation' : KEEP_CATEGORY.has(c.category) ? c.category : 'harassment') as Category,
      at: ms(c.occurred_at),
      reporter: `complaint:${c.callee_hash}`,
      org: c.org_id,
      ...(c.claimed_org ? { claimedOrganization: c.claimed_org } : {}),
    });
  }
}

// Compiled once, the identifiers as one list parameter (store/prepared-query.ts): they run for every
// caller whose tally is built. The builders are also parts of store/reputation/evidence.ts's single read.
export function patternsQuery(db: Kysely<Database>, engine: Engine) {
  return db.selectFrom('governance_patterns').select(['identifier', 'category', 'origin', 'at']).where(listIn(engine, 'identifier', 0));
}

export function complaintsQuery(db: Kysely<Database>, engine: Engine) {
  return db
    .selectFrom('governance_complaints')
    .select(['caller', 'callee_hash', 'org_id', 'category', 'claimed_org', 'occurred_at', 'violations'])
    .where(listIn(engine, 'caller', 0))
    .where('status', '!=', 'dismissed');
}

const patternsOf = preparedQuery(patternsQuery);
const complaintsOf = preparedQuery(complaintsQuery);
