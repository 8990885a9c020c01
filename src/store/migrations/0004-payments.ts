import type { Kysely } from 'kysely';

// Tables of src/payments/ (see store/schema-payments.ts). Forward-only; portable types (text, integer, real).
export async function up(_db: Kysely<unknown>): Promise<void> {}
