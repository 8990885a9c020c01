import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { PayerHistoryTable, PayersTable, TransferChecksTable } from './schema.js';

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

// Single-item reloads for the change log (src/operations/payments/state.ts): a node brings the
// payers, histories and known payees another node wrote into its memory.

export async function payersByKeys(db: Kysely<Database>, payerKeys: readonly string[]): Promise<{ payer_key: string; subscriber_hash: string }[]> {
  const out: { payer_key: string; subscriber_hash: string }[] = [];
  for (let i = 0; i < payerKeys.length; i += 500) {
    out.push(...(await db.selectFrom('payers').select(['payer_key', 'subscriber_hash']).where('payer_key', 'in', payerKeys.slice(i, i + 500)).execute()));
  }
  return out;
}

/** Every currency's history of some payers. */
export async function historiesOf(db: Kysely<Database>, payerKeys: readonly string[]): Promise<PayerHistoryTable[]> {
  const out: PayerHistoryTable[] = [];
  for (let i = 0; i < payerKeys.length; i += 500) out.push(...(await db.selectFrom('payer_history').selectAll().where('payer_key', 'in', payerKeys.slice(i, i + 500)).execute()));
  return out;
}

/** Which of the given (payer, account) pairs are known payees. */
export async function knownPayeePairs(db: Kysely<Database>, pairs: readonly { payerKey: string; account: string }[]): Promise<{ payer_key: string; account: string }[]> {
  const out: { payer_key: string; account: string }[] = [];
  for (let i = 0; i < pairs.length; i += 250) {
    const chunk = pairs.slice(i, i + 250);
    out.push(
      ...(await db
        .selectFrom('payer_payees')
        .select(['payer_key', 'account'])
        .where((eb) => eb.or(chunk.map((p) => eb.and([eb('payer_key', '=', p.payerKey), eb('account', '=', p.account)]))))
        .execute()),
    );
  }
  return out;
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
