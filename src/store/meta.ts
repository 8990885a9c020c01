import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * The deployment's key for hashing subscriber identifiers, made once on first start and kept in
 * the database (every node of a cluster must use the same one). Losing it makes stored contact
 * lists unmatchable, so it lives with the data it protects.
 */
export async function loadHashSecret(db: Kysely<Database>): Promise<string> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'hash_secret').executeTakeFirst();
  if (row) return row.value;
  const secret = randomBytes(32).toString('base64url');
  await db.insertInto('meta').values({ key: 'hash_secret', value: secret }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const again = await db.selectFrom('meta').select('value').where('key', '=', 'hash_secret').executeTakeFirstOrThrow();
  return again.value;
}
