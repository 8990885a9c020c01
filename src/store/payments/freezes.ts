import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { FreezeAccountsTable, FreezesTable } from './schema.js';

export async function insertFreeze(db: Kysely<Database>, row: FreezesTable, accounts: FreezeAccountsTable[]): Promise<void> {
  await db.insertInto('freezes').values(row).execute();
  await db.insertInto('freeze_accounts').values(accounts).execute();
}

export async function findFreeze(db: Kysely<Database>, id: string): Promise<{ freeze: FreezesTable; accounts: FreezeAccountsTable[] } | undefined> {
  const freeze = await db.selectFrom('freezes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!freeze) return undefined;
  const accounts = await db.selectFrom('freeze_accounts').selectAll().where('freeze_id', '=', id).orderBy('account').execute();
  return { freeze, accounts };
}

/** Conditional update: only from the expected status, so concurrent steps cannot both win. */
export async function updateFreeze(db: Kysely<Database>, id: string, fromStatus: string, set: Partial<FreezesTable>): Promise<boolean> {
  const r = await db.updateTable('freezes').set(set).where('id', '=', id).where('status', '=', fromStatus).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function acknowledgeAccount(db: Kysely<Database>, accountRowId: string, set: Pick<FreezeAccountsTable, 'frozen_amount' | 'already_left' | 'note' | 'acknowledged_at'>): Promise<boolean> {
  const r = await db.updateTable('freeze_accounts').set({ ...set, status: 'acknowledged' }).where('id', '=', accountRowId).where('status', '=', 'pending').executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function listFreezes(
  db: Kysely<Database>,
  opts: { orgId?: string; bankOrgId?: string; status?: string; limit?: number },
): Promise<{ freeze: FreezesTable; accounts: FreezeAccountsTable[] }[]> {
  let q = db.selectFrom('freezes').selectAll('freezes');
  if (opts.orgId) q = q.where('freezes.org_id', '=', opts.orgId);
  if (opts.bankOrgId) {
    const bank = opts.bankOrgId;
    q = q.where('freezes.status', '!=', 'pending').where((eb) => eb.exists(eb.selectFrom('freeze_accounts').select('freeze_accounts.id').whereRef('freeze_accounts.freeze_id', '=', 'freezes.id').where('freeze_accounts.bank_org_id', '=', bank)));
  }
  if (opts.status) q = q.where('freezes.status', '=', opts.status);
  const freezes = await q.orderBy('freezes.created_at', 'desc').limit(Math.min(opts.limit ?? 100, 1000)).execute();
  if (freezes.length === 0) return [];
  const accounts = await db.selectFrom('freeze_accounts').selectAll().where('freeze_id', 'in', freezes.map((f) => f.id)).orderBy('account').execute();
  return freezes.map((freeze) => ({ freeze, accounts: accounts.filter((a) => a.freeze_id === freeze.id) }));
}

export async function expiredFreezes(db: Kysely<Database>, at: string, limit = 100): Promise<FreezesTable[]> {
  return db.selectFrom('freezes').selectAll().where('status', '=', 'active').where('expires_at', '<=', at).orderBy('expires_at').limit(limit).execute();
}
