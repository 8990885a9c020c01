import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { PayeeFlagsTable } from './schema.js';

export async function insertFlags(db: Kysely<Database>, rows: PayeeFlagsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('payee_flags').values(rows.slice(i, i + 500)).execute();
}

export async function findFlag(db: Kysely<Database>, id: string): Promise<PayeeFlagsTable | undefined> {
  return db.selectFrom('payee_flags').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Flags by id whatever their state (revoked, expired), to bring one node's index up to date. */
export async function flagsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<PayeeFlagsTable[]> {
  const out: PayeeFlagsTable[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await db.selectFrom('payee_flags').selectAll().where('id', 'in', ids.slice(i, i + 500)).execute()));
  return out;
}

export async function revokeFlag(db: Kysely<Database>, id: string, reason: string, at: string): Promise<boolean> {
  const r = await db.updateTable('payee_flags').set({ revoked_at: at, revoke_reason: reason }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Flags not revoked and not expired at `at`, optionally for one account (newest first). */
export async function liveFlags(db: Kysely<Database>, at: string, account?: string, limit = 1000): Promise<PayeeFlagsTable[]> {
  let q = db
    .selectFrom('payee_flags')
    .selectAll()
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]));
  if (account) q = q.where('account', '=', account);
  return q.orderBy('created_at', 'desc').limit(limit).execute();
}

/** Every live flag, in pages (for the in-memory index at start-up). */
export async function* allLiveFlags(db: Kysely<Database>, at: string, pageSize = 5000): AsyncGenerator<PayeeFlagsTable[]> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('payee_flags')
      .selectAll()
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
  }
}
