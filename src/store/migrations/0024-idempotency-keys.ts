import type { Kysely } from 'kysely';

// Issue 16: every POST may carry an Idempotency-Key. The first answer (2xx) is kept for 24 hours
// under key + method + path + the key of the caller, so a second click or a retried request returns
// it instead of writing twice (src/api/idempotency.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('api_key_id', 'text', (c) => c.notNull())
    .addColumn('idem_key', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    /** SHA-256 of the request body: the same key with another body is a conflict, not a replay. */
    .addColumn('request_hash', 'text', (c) => c.notNull())
    /** null while the first request is still being answered. */
    .addColumn('status', 'integer')
    .addColumn('content_type', 'text')
    .addColumn('response', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['api_key_id', 'idem_key', 'method', 'path'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}
