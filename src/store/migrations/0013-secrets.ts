import type { Kysely } from 'kysely';

// The deployment's secrets leave the database for CALLSHIELD_SECRET_FILE (src/store/deployment-
// secrets.ts moves them at the first start, after this migration, since moving needs the file).
// No table changes: meta keeps a check value of the secrets instead of the secrets. This step marks
// the database as one whose secrets live outside it, so an older callshield, which would mint a
// fresh hash secret in meta and silently re-key every lookup, refuses to start on it (kysely
// refuses a database with a migration it does not know).
export async function up(_db: Kysely<unknown>): Promise<void> {}
