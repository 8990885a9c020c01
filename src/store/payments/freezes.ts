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

/**
 * Conditional update: only from the expected status (and, when given, while a request column still
 * holds what the step read), so concurrent steps cannot both win.
 */
export async function updateFreeze(
  db: Kysely<Database>,
  id: string,
  fromStatus: string,
  set: Partial<FreezesTable>,
  unchanged?: { column: 'release_requested_by_person' | 'extend_requested_by_person'; value: string | null },
): Promise<boolean> {
  let q = db.updateTable('freezes').set(set).where('id', '=', id).where('status', '=', fromStatus);
  if (unchanged) q = unchanged.value === null ? q.where(unchanged.column, 'is', null) : q.where(unchanged.column, '=', unchanged.value);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Accounts under active, unexpired freezes (the transfer check's FREEZE_ACTIVE), a page at a time. */
export async function* activeFrozenAccounts(db: Kysely<Database>, at: string, pageSize = 5000): AsyncGenerator<{ freeze_id: string; account: string; expires_at: string | null }[]> {
  let after = '';
  for (;;) {
    const page = await db
      .selectFrom('freeze_accounts')
      .innerJoin('freezes', 'freezes.id', 'freeze_accounts.freeze_id')
      .select(['freeze_accounts.id', 'freeze_accounts.freeze_id', 'freeze_accounts.account', 'freezes.expires_at'])
      .where('freezes.status', '=', 'active')
      .where('freezes.expires_at', '>', at)
      .where('freeze_accounts.id', '>', after)
      .orderBy('freeze_accounts.id')
      .limit(pageSize)
      .execute();
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.id;
  }
}

/** The status, expiry and accounts of some freezes (to bring the transfer check's copy up to date). */
export async function freezeStates(db: Kysely<Database>, ids: string[]): Promise<{ id: string; status: string; expires_at: string | null; accounts: string[] }[]> {
  if (ids.length === 0) return [];
  const freezes = await db.selectFrom('freezes').select(['id', 'status', 'expires_at']).where('id', 'in', ids).execute();
  const accounts = await db.selectFrom('freeze_accounts').select(['freeze_id', 'account']).where('freeze_id', 'in', ids).execute();
  return freezes.map((f) => ({ ...f, accounts: accounts.filter((a) => a.freeze_id === f.id).map((a) => a.account) }));
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
