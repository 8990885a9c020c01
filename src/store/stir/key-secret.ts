import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

const KEY = 'stir_key_secret';

/**
 * The key that seals carriers' STIR/SHAKEN signing keys at rest, made once on first use and kept
 * in `meta` like the hash secret (every node of a cluster must use the same one). It keeps the
 * private keys out of plain-text table dumps and exports of stir_signers; whoever can read `meta`
 * as well can open them, which is the same trust the hash secret has.
 */
export async function loadStirKeySecret(db: Kysely<Database>): Promise<Buffer> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', KEY).executeTakeFirst();
  if (row) return Buffer.from(row.value, 'base64url');
  await db
    .insertInto('meta')
    .values({ key: KEY, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const again = await db.selectFrom('meta').select('value').where('key', '=', KEY).executeTakeFirstOrThrow();
  return Buffer.from(again.value, 'base64url');
}
