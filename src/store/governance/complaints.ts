import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { GovernanceComplaintsTable, GovernanceEscalationsTable } from './schema.js';

export async function insertComplaint(db: Kysely<Database>, row: GovernanceComplaintsTable): Promise<void> {
  await db.insertInto('governance_complaints').values(row).execute();
}

export async function findComplaint(db: Kysely<Database>, id: string): Promise<GovernanceComplaintsTable | undefined> {
  return db.selectFrom('governance_complaints').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface ComplaintFilter {
  /** Routed to this carrier. */
  carrierOrgId?: string;
  /** Filed by this organisation. */
  orgId?: string;
  status?: string;
  limit?: number;
}

export async function listComplaints(db: Kysely<Database>, f: ComplaintFilter): Promise<GovernanceComplaintsTable[]> {
  let q = db.selectFrom('governance_complaints').selectAll().orderBy('created_at', 'desc').limit(f.limit ?? 200);
  if (f.carrierOrgId) q = q.where('carrier_org_id', '=', f.carrierOrgId);
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  if (f.status) q = q.where('status', '=', f.status);
  return q.execute();
}

export async function decideComplaint(db: Kysely<Database>, id: string, set: Pick<GovernanceComplaintsTable, 'status' | 'outcome_note' | 'decided_at' | 'decided_by'>): Promise<boolean> {
  const r = await db.updateTable('governance_complaints').set(set).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Complaints against a holder block that the carrier confirmed as violations (warned or suspended). */
export async function confirmedViolations(db: Kysely<Database>, holderId: string): Promise<Pick<GovernanceComplaintsTable, 'id' | 'occurred_at' | 'violations' | 'status' | 'outcome_note' | 'category'>[]> {
  return db
    .selectFrom('governance_complaints')
    .select(['id', 'occurred_at', 'violations', 'status', 'outcome_note', 'category'])
    .where('holder_id', '=', holderId)
    .where('violation', '=', 1)
    .where('status', 'in', ['warned', 'suspended'])
    .orderBy('occurred_at')
    .execute();
}

export async function upsertEscalation(db: Kysely<Database>, row: GovernanceEscalationsTable): Promise<void> {
  await db
    .insertInto('governance_escalations')
    .values(row)
    .onConflict((oc) =>
      oc.column('holder_id').doUpdateSet({ violations: row.violations, complaint_ids: row.complaint_ids, evidence: row.evidence, updated_at: row.updated_at, window_days: row.window_days }),
    )
    .execute();
}

export async function listEscalations(db: Kysely<Database>, carrierOrgId?: string): Promise<GovernanceEscalationsTable[]> {
  let q = db.selectFrom('governance_escalations').selectAll().orderBy('updated_at', 'desc').limit(500);
  if (carrierOrgId) q = q.where('carrier_org_id', '=', carrierOrgId);
  return q.execute();
}
