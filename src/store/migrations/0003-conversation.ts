import type { Kysely } from 'kysely';

// Tables of src/conversation/ (see store/schema-conversation.ts). Forward-only; portable types (text, integer, real).
export async function up(_db: Kysely<unknown>): Promise<void> {}
