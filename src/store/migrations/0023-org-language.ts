import type { Kysely } from 'kysely';

// Issue 16 (the API speaks the reader's language): the language an organisation's webhook events
// are written in ("en", "zh-CN", "zh-TW"; null until set: events go out as the domain writes them,
// English with advice in the subscriber's own language). HTTP replies follow Accept-Language.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orgs').addColumn('language', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orgs').dropColumn('language').execute();
}
