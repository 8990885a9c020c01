import type { Kysely } from 'kysely';

// Tables of src/stir/ (see store/stir/schema.ts). Forward-only; portable types (text, integer, real).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stir_signers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().unique())
    .addColumn('spc', 'text', (c) => c.notNull())
    .addColumn('x5u', 'text', (c) => c.notNull())
    .addColumn('certificate_pem', 'text', (c) => c.notNull())
    .addColumn('sealed_key', 'text', (c) => c.notNull())
    .addColumn('not_after', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stir_signers_spc').on('stir_signers').column('spc').execute();
  await db.schema
    .createTable('stir_traces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('origid', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('spc', 'text')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('orig', 'text', (c) => c.notNull())
    .addColumn('dest_hashes', 'text', (c) => c.notNull())
    .addColumn('attest', 'text')
    // iat (NumericDate seconds) as decimal text: PostgreSQL's integer is 4 bytes and its real
    // 4-byte float, and a hostile token's iat may be any safe integer.
    .addColumn('iat', 'text', (c) => c.notNull())
    .addColumn('verstat', 'text')
    .addColumn('x5u', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stir_traces_origid').on('stir_traces').column('origid').execute();
  await db.schema.createIndex('stir_traces_orig_at').on('stir_traces').columns(['orig', 'at']).execute();
  await db.schema
    .createTable('stir_attestation_history')
    .addColumn('number', 'text', (c) => c.primaryKey())
    .addColumn('a', 'integer', (c) => c.notNull())
    .addColumn('b', 'integer', (c) => c.notNull())
    .addColumn('c', 'integer', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    .addColumn('unsigned', 'integer', (c) => c.notNull())
    .addColumn('last_seen', 'text')
    .addColumn('last_signed_a', 'text')
    .execute();
}
