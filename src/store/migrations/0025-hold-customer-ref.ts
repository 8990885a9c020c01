import type { Kysely } from 'kysely';

// Issue 16: a held transfer names whose transfer it is (the bank's own customer reference, as the
// bank sent it in the check), so the officer can call the customer back. Holds made before this
// have none.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('holds').addColumn('customer_ref', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('holds').dropColumn('customer_ref').execute();
}
