import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { ESCALATION_RULE, OUTCOMES, assessComplaint, businessKeyOf, callerHolderOf, checkClaim, consentStatus, describeBlock, violationsToEscalate } from '../../governance/index.js';
import type { ComplaintOutcome, Reason } from '../../governance/index.js';
import { parseIdentifier } from '../../identity/index.js';
import { CATEGORIES, isCategory } from '../../reputation/index.js';
import type { Category } from '../../reputation/index.js';
import { confirmedViolations, decideComplaint, findComplaint, insertComplaint, listComplaints as storeList, listEscalations as storeEscalations, upsertEscalation } from '../../store/governance/complaints.js';
import type { GovernanceComplaintsTable, GovernanceEscalationsTable } from '../../store/governance/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { consentsOf, isOnDnc, loadGovernance, personRef } from './state.js';
import { checkTime } from '../reputation/reports.js';
import { inTransaction } from '../write.js';

export interface ComplaintInput {
  caller: string;
  callee: string;
  occurredAt: string;
  offered?: string;
  consented: boolean;
  category: string;
  claimedOrganization?: string;
}

export interface ComplaintView {
  id: string;
  caller: string;
  category: string;
  occurredAt: string;
  offered: string | null;
  consented: boolean;
  claimedOrganization: string | null;
  holder: string | null;
  routedTo: string | null;
  violation: boolean;
  violations: string[];
  findings: Reason[];
  status: string;
  outcomeNote: string | null;
  decidedAt: string | null;
  createdAt: string;
}

export function complaintView(r: GovernanceComplaintsTable, carrierName?: string | null): ComplaintView {
  return {
    id: r.id,
    caller: r.caller,
    category: r.category,
    occurredAt: r.occurred_at,
    offered: r.offered,
    consented: Number(r.consented) === 1,
    claimedOrganization: r.claimed_org,
    holder: r.holder,
    routedTo: carrierName ?? r.carrier_org_id,
    violation: Number(r.violation) === 1,
    violations: r.violations ? r.violations.split(',') : [],
    findings: JSON.parse(r.findings) as Reason[],
    status: r.status,
    outcomeNote: r.outcome_note,
    decidedAt: r.decided_at,
    createdAt: r.created_at,
  };
}

/**
 * A person complains about a call. The complaint is checked against the consent registry (did the
 * callee consent to the business that holds the number, for marketing? is the callee on the
 * do-not-call list?) and the number-holder registry (who holds the number, what use it declared,
 * does a claimed organisation fit), routed to the carrier that holds the number, and counted as
 * evidence against the caller.
 */
export async function fileComplaint(ctx: AppContext, input: ComplaintInput, actor: Actor): Promise<ComplaintView> {
  const s = await loadGovernance(ctx);
  const caller = parseIdentifier(input.caller, { defaultRegion: ctx.config.defaultRegion }, 'caller');
  if (caller.kind === 'anonymous') {
    throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'a complaint needs the calling number; a withheld caller can be reported to the carrier', { field: 'caller' });
  }
  const callee = personRef(ctx, input.callee, 'callee');
  if (!isCategory(input.category)) {
    throw new CallshieldError('REPUTATION_INVALID_CATEGORY', `category must be one of ${CATEGORIES.join(', ')}`, { field: 'category' });
  }
  if (typeof input.consented !== 'boolean') throw new CallshieldError('REQUEST_INVALID_BODY', 'consented must be true or false', { field: 'consented' });
  const now = ctx.now();
  const occurred = checkTime(input.occurredAt, now, 'occurredAt');
  const holderBlock = caller.kind === 'phone' ? s.holders.lookup(caller.canonical.slice(1)) : undefined;
  // Whether the person had consented to the holder before the call; a lapsed consent is none.
  const standing = holderBlock ? consentStatus(consentsOf(s, callee.digits), { businessKey: businessKeyOf(holderBlock.holder), purpose: 'marketing', channel: 'voice', at: occurred }) : 'none';
  const consent = standing === 'active' || standing === 'revoked' ? standing : 'none';
  const claimed = input.claimedOrganization?.trim() || null;
  const assessment = assessComplaint({
    category: input.category as Category,
    consented: input.consented,
    calleeOnDnc: isOnDnc(s, callee.digits),
    consent,
    holder: holderBlock,
    claim: checkClaim(holderBlock ? callerHolderOf(holderBlock) : undefined, claimed),
  });
  const at = new Date(now).toISOString();
  const row: GovernanceComplaintsTable = {
    id: randomUUID(),
    caller: caller.canonical,
    caller_kind: caller.kind,
    callee_hash: callee.personHash,
    org_id: actor.orgId,
    category: input.category,
    offered: input.offered?.trim().slice(0, 1000) || null,
    consented: input.consented ? 1 : 0,
    claimed_org: claimed,
    holder_id: holderBlock?.id ?? null,
    holder: holderBlock?.holder ?? null,
    carrier_org_id: holderBlock?.carrierOrgId ?? null,
    violation: assessment.violation ? 1 : 0,
    violations: assessment.violations.join(','),
    findings: JSON.stringify(assessment.findings),
    status: 'open',
    outcome_note: null,
    decided_at: null,
    decided_by: null,
    occurred_at: new Date(occurred).toISOString(),
    created_at: at,
  };
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    await insertComplaint(db, row);
    await audit({
      actor: describeActor(actor),
      action: 'complaint.file',
      subject: `complaint:${row.id}`,
      details: { caller: row.caller, category: row.category, routedTo: holderBlock?.carrierName ?? null, violations: assessment.violations },
      at,
    });
    publish('reputation', [caller.canonical]);
  });
  await ctx.refreshReputation([caller.canonical], { publish: false });
  return complaintView(row, holderBlock?.carrierName ?? null);
}

/** A carrier sees the complaints routed to it, an app those it filed, a regulator or admin all. */
export async function listComplaints(ctx: AppContext, actor: Actor, status?: string): Promise<ComplaintView[]> {
  const filter = actor.role === 'carrier' ? { carrierOrgId: actor.orgId } : actor.role === 'regulator' || actor.role === 'admin' ? {} : { orgId: actor.orgId };
  const rows = await storeList(ctx.db, { ...filter, ...(status ? { status } : {}) });
  const s = await loadGovernance(ctx);
  return rows.map((r) => complaintView(r, r.holder_id ? (s.holders.get(r.holder_id)?.carrierName ?? null) : null));
}

export interface OutcomeResult {
  complaint: ComplaintView;
  escalation: EscalationView | null;
}

/**
 * The carrier that holds the number records what it did: warned the holder, suspended the
 * resource, or dismissed the complaint. A warning or suspension confirms the violation; a holder
 * with ESCALATION_RULE.violations confirmed violations within ESCALATION_RULE.windowDays days is
 * escalated to the regulator with a recommendation to suspend the resource, and the evidence.
 */
export async function recordOutcome(ctx: AppContext, id: string, input: { outcome: string; note: string }, actor: Actor): Promise<OutcomeResult> {
  const s = await loadGovernance(ctx);
  if (!(OUTCOMES as readonly string[]).includes(input.outcome)) {
    throw new CallshieldError('REQUEST_INVALID_BODY', `outcome must be one of ${OUTCOMES.join(', ')}`, { field: 'outcome' });
  }
  const note = typeof input.note === 'string' ? input.note.trim() : '';
  if (!note) throw new CallshieldError('REQUEST_INVALID_BODY', 'every outcome needs a note saying what was done', { field: 'note' });
  const outcome = input.outcome as ComplaintOutcome;
  const now = ctx.now();
  const at = new Date(now).toISOString();
  const result = await inTransaction(ctx, async ({ db, audit, publish }) => {
    const c = await findComplaint(db, id);
    if (!c || (actor.role !== 'admin' && c.carrier_org_id !== actor.orgId)) {
      throw new CallshieldError('GOVERNANCE_COMPLAINT_NOT_FOUND', `no complaint ${id} routed to you`, { field: 'id' });
    }
    if (c.status !== 'open' || !(await decideComplaint(db, id, { status: outcome, outcome_note: note.slice(0, 2000), decided_at: at, decided_by: actor.orgId }))) {
      throw new CallshieldError('GOVERNANCE_COMPLAINT_DECIDED', `the complaint already has the outcome "${c.status}"`, { field: 'id' });
    }
    await audit({ actor: describeActor(actor), action: 'complaint.outcome', subject: `complaint:${id}`, details: { outcome, note: note.slice(0, 200) }, at });
    const decided: GovernanceComplaintsTable = { ...c, status: outcome, outcome_note: note, decided_at: at, decided_by: actor.orgId };
    let escalation: GovernanceEscalationsTable | null = null;
    const block = c.holder_id ? s.holders.get(c.holder_id) : undefined;
    if (Number(c.violation) === 1 && outcome !== 'dismissed' && block) {
      const confirmed = await confirmedViolations(db, block.id);
      const times = confirmed.map((v) => Date.parse(v.occurred_at));
      const due = violationsToEscalate(times, now);
      if (due) {
        const counted = confirmed.filter((v) => due.includes(Date.parse(v.occurred_at)));
        escalation = {
          id: randomUUID(),
          holder_id: block.id,
          holder: block.holder,
          block: describeBlock(block),
          carrier_org_id: block.carrierOrgId,
          carrier_name: block.carrierName,
          violations: counted.length,
          window_days: ESCALATION_RULE.windowDays,
          complaint_ids: JSON.stringify(counted.map((v) => v.id)),
          evidence: JSON.stringify(counted.map((v) => ({ complaint: v.id, occurredAt: v.occurred_at, category: v.category, violations: v.violations.split(','), outcome: v.status, note: v.outcome_note }))),
          recommendation: `Suspend ${describeBlock(block)} held by ${block.holder}: ${counted.length} confirmed violations in ${ESCALATION_RULE.windowDays} days`,
          created_at: at,
          updated_at: at,
        };
        await upsertEscalation(db, escalation);
        await audit({ actor: describeActor(actor), action: 'escalation.recommend', subject: `holder:${block.id}`, details: { holder: block.holder, block: escalation.block, violations: counted.length }, at });
      }
    }
    publish('reputation', [decided.caller]);
    return { decided, escalation, carrier: block?.carrierName ?? null };
  });
  await ctx.refreshReputation([result.decided.caller], { publish: false });
  return { complaint: complaintView(result.decided, result.carrier), escalation: result.escalation ? escalationView(result.escalation) : null };
}

export interface EscalationView {
  id: string;
  holder: string;
  block: string;
  carrier: string;
  violations: number;
  windowDays: number;
  recommendation: string;
  complaints: string[];
  evidence: unknown[];
  createdAt: string;
  updatedAt: string;
}

function escalationView(e: GovernanceEscalationsTable): EscalationView {
  return {
    id: e.id,
    holder: e.holder,
    block: e.block,
    carrier: e.carrier_name,
    violations: Number(e.violations),
    windowDays: Number(e.window_days),
    recommendation: e.recommendation,
    complaints: JSON.parse(e.complaint_ids) as string[],
    evidence: JSON.parse(e.evidence) as unknown[],
    createdAt: e.created_at,
    updatedAt: e.updated_at,
  };
}

export async function listEscalations(ctx: AppContext, actor: Actor): Promise<EscalationView[]> {
  const own = actor.role === 'carrier' ? actor.orgId : undefined;
  return (await storeEscalations(ctx.db, own)).map(escalationView);
}
