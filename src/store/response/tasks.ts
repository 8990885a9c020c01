import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { ResponseTasksTable } from './schema.js';

export async function insertTasks(db: Kysely<Database>, rows: readonly ResponseTasksTable[]): Promise<void> {
  if (rows.length) await db.insertInto('response_tasks').values([...rows]).execute();
}

export async function findTask(db: Kysely<Database>, id: string): Promise<ResponseTasksTable | undefined> {
  return db.selectFrom('response_tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function tasksOfCase(db: Kysely<Database>, caseId: string): Promise<ResponseTasksTable[]> {
  return db.selectFrom('response_tasks').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('kind').orderBy('identifier').execute();
}

/**
 * A queue: the tasks of one organisation (and, for police, the unassigned reviews any unit may
 * take), or every task when orgId is left out (regulators, admins).
 */
export async function listTasks(db: Kysely<Database>, opts: { orgId?: string; poolRole?: string; status?: string; overdueAt?: string; caseId?: string; limit?: number }): Promise<ResponseTasksTable[]> {
  let q = db.selectFrom('response_tasks').selectAll();
  if (opts.orgId !== undefined) {
    const orgId = opts.orgId;
    const pool = opts.poolRole;
    q = pool ? q.where((eb) => eb.or([eb('org_id', '=', orgId), eb.and([eb('org_id', 'is', null), eb('role', '=', pool)])])) : q.where('org_id', '=', orgId);
  }
  if (opts.status) q = q.where('status', '=', opts.status);
  // Overdue: still waiting for an answer (escalated included) and past its deadline.
  if (opts.overdueAt) q = q.where('status', 'in', ['open', 'accepted', 'escalated']).where('deadline', '<=', opts.overdueAt);
  if (opts.caseId) q = q.where('case_id', '=', opts.caseId);
  return q.orderBy('deadline').orderBy('id').limit(Math.min(opts.limit ?? 200, 1000)).execute();
}

/** Moves a task on only if nobody else moved it since it was read. */
export async function updateTask(db: Kysely<Database>, id: string, fromStatus: string, fromUpdatedAt: string, set: Partial<Pick<ResponseTasksTable, 'status' | 'steps' | 'org_id' | 'org_name' | 'updated_at'>>): Promise<boolean> {
  const r = await db.updateTable('response_tasks').set(set).where('id', '=', id).where('status', '=', fromStatus).where('updated_at', '=', fromUpdatedAt).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function overdueTasks(db: Kysely<Database>, now: string, limit = 200): Promise<ResponseTasksTable[]> {
  return db.selectFrom('response_tasks').selectAll().where('status', 'in', ['open', 'accepted']).where('deadline', '<=', now).orderBy('deadline').limit(limit).execute();
}

/** Tasks of cases filed in [from, to), for the regulator's figures. */
export async function tasksFiledBetween(db: Kysely<Database>, from: string, to: string): Promise<ResponseTasksTable[]> {
  return db.selectFrom('response_tasks').selectAll().where('case_filed_at', '>=', from).where('case_filed_at', '<', to).execute();
}
