import type { Kysely } from 'kysely';

// Tables of src/stir/ (see store/schema-stir.ts). Forward-only; portable types (text, integer, real).
export async function up(_db: Kysely<unknown>): Promise<void> {}
