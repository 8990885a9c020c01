import type { Kysely } from 'kysely';

// Tables of src/governance/ (see store/schema-governance.ts). Forward-only; portable types (text, integer, real).
export async function up(_db: Kysely<unknown>): Promise<void> {}
