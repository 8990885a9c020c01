import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { StirAttestationHistoryTable } from './schema.js';

export async function upsertHistories(db: Kysely<Database>, rows: readonly StirAttestationHistoryTable[]): Promise<void> {
  for (const row of rows) {
    const { number: _key, ...counts } = row;
    await db
      .insertInto('stir_attestation_history')
      .values(row)
      .onConflict((oc) => oc.column('number').doUpdateSet(counts))
      .execute();
  }
}

/** Every stored history, in pages (to build the in-memory map at start-up). */
export async function* allHistories(db: Kysely<Database>, pageSize = 20_000): AsyncGenerator<StirAttestationHistoryTable[]> {
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('stir_attestation_history').selectAll().where('number', '>', after).orderBy('number').limit(pageSize).execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.number;
  }
}
