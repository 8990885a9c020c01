import type { Kysely } from 'kysely';

// Issue 13 (STIR_SIGNER_NOT_HOLDER): calls attested A by a carrier that does not hold the number in
// the holder registry are counted apart in the number's attestation history.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stir_attestation_history').addColumn('not_holder', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stir_attestation_history').dropColumn('not_holder').execute();
}
