import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Callers reported with payee accounts (live payments flags and cases), for the accounts these callers were reported with. */
export async function payeeTiesOf(db: Kysely<Database>, callers: readonly string[], at: string): Promise<{ caller: string; account: string; org_id: string; created_at: string }[]> {
  if (callers.length === 0) return [];
  const live = db
    .selectFrom('payee_flags')
    .where('revoked_at', 'is', null)
    .where('caller', 'is not', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]));
  const accounts = (await live.select('account').distinct().where('caller', 'in', callers).execute()).map((r) => r.account);
  if (accounts.length === 0) return [];
  const rows = await live.select(['caller', 'account', 'org_id', 'created_at']).where('account', 'in', accounts).execute();
  return rows.map((r) => ({ caller: r.caller!, account: r.account, org_id: r.org_id, created_at: r.created_at }));
}
