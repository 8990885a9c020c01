import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { PayerHistoryTable, PayersTable, TransferChecksTable } from './schema-payments.js';

export async function upsertPayer(db: Kysely<Database>, row: PayersTable): Promise<void> {
  await db
    .insertInto('payers')
    .values(row)
    .onConflict((oc) => oc.column('payer_key').doUpdateSet({ subscriber_hash: row.subscriber_hash, updated_at: row.updated_at }))
    .execute();
}

export async function deletePayer(db: Kysely<Database>, payerKey: string): Promise<boolean> {
  const r = await db.deleteFrom('payers').where('payer_key', '=', payerKey).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function findCheckByKey(db: Kysely<Database>, orgId: string, key: string): Promise<TransferChecksTable | undefined> {
  return db.selectFrom('transfer_checks').selectAll().where('org_id', '=', orgId).where('idempotency_key', '=', key).executeTakeFirst();
}

export async function insertCheck(db: Kysely<Database>, row: TransferChecksTable): Promise<void> {
  await db.insertInto('transfer_checks').values(row).execute();
}

export async function upsertHistory(db: Kysely<Database>, row: PayerHistoryTable): Promise<void> {
  await db
    .insertInto('payer_history')
    .values(row)
    .onConflict((oc) => oc.columns(['payer_key', 'currency']).doUpdateSet({ count: row.count, mean: row.mean, recent: row.recent, updated_at: row.updated_at }))
    .execute();
}

export async function addKnownPayee(db: Kysely<Database>, payerKey: string, account: string, at: string): Promise<void> {
  await db
    .insertInto('payer_payees')
    .values({ payer_key: payerKey, account, first_at: at })
    .onConflict((oc) => oc.columns(['payer_key', 'account']).doNothing())
    .execute();
}

async function* pages<T extends { k: string }>(fetch: (after: string) => Promise<T[]>): AsyncGenerator<T[]> {
  let after = '';
  for (;;) {
    const rows = await fetch(after);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.k;
  }
}

export function allPayers(db: Kysely<Database>, pageSize = 5000): AsyncGenerator<{ k: string; subscriber_hash: string }[]> {
  return pages((after) => db.selectFrom('payers').select(['payer_key as k', 'subscriber_hash']).where('payer_key', '>', after).orderBy('payer_key').limit(pageSize).execute());
}

export function allHistory(db: Kysely<Database>, pageSize = 5000): AsyncGenerator<(PayerHistoryTable & { k: string })[]> {
  // Keyset pagination over the composite key (payer_key, currency).
  return pages(async (after) => {
    const [p, c] = after ? after.split('\u0000') : ['', ''];
    const rows = await db
      .selectFrom('payer_history')
      .selectAll()
      .where((eb) => eb.or([eb('payer_key', '>', p!), eb.and([eb('payer_key', '=', p!), eb('currency', '>', c!)])]))
      .orderBy('payer_key')
      .orderBy('currency')
      .limit(pageSize)
      .execute();
    return rows.map((r) => ({ ...r, k: `${r.payer_key}\u0000${r.currency}` }));
  });
}

export function allKnownPayees(db: Kysely<Database>, pageSize = 10_000): AsyncGenerator<{ k: string; payer_key: string; account: string }[]> {
  return pages(async (after) => {
    const [p, a] = after ? after.split('\u0000') : ['', ''];
    const rows = await db
      .selectFrom('payer_payees')
      .select(['payer_key', 'account'])
      .where((eb) => eb.or([eb('payer_key', '>', p!), eb.and([eb('payer_key', '=', p!), eb('account', '>', a!)])]))
      .orderBy('payer_key')
      .orderBy('account')
      .limit(pageSize)
      .execute();
    return rows.map((r) => ({ ...r, k: `${r.payer_key}\u0000${r.account}` }));
  });
}
