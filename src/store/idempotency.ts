import type { Kysely } from 'kysely';
import type { Database, IdempotencyKeysTable } from './schema.js';

// Stored answers to POSTs that carried an Idempotency-Key (src/api/idempotency.ts).

export type IdempotencyScope = Pick<IdempotencyKeysTable, 'api_key_id' | 'idem_key' | 'method' | 'path'>;

const where = <Q extends { where: (...a: any[]) => Q }>(q: Q, s: IdempotencyScope): Q =>
  q.where('api_key_id', '=', s.api_key_id).where('idem_key', '=', s.idem_key).where('method', '=', s.method).where('path', '=', s.path);

/** Claims the key for this request; false when a row for it already exists. */
export async function claimIdempotencyKey(db: Kysely<Database>, row: IdempotencyKeysTable): Promise<boolean> {
  const r = await db.insertInto('idempotency_keys').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function findIdempotencyKey(db: Kysely<Database>, s: IdempotencyScope): Promise<IdempotencyKeysTable | undefined> {
  return where(db.selectFrom('idempotency_keys').selectAll(), s).executeTakeFirst();
}

export async function storeIdempotentResponse(db: Kysely<Database>, s: IdempotencyScope, status: number, contentType: string | null, response: string | null): Promise<void> {
  await where(db.updateTable('idempotency_keys').set({ status, content_type: contentType, response }), s).execute();
}

/** Forgets a claim whose request failed (so the client may retry with the same key) or expired. */
export async function releaseIdempotencyKey(db: Kysely<Database>, s: IdempotencyScope): Promise<void> {
  await where(db.deleteFrom('idempotency_keys'), s).execute();
}

/** Drops answers older than `before` (ISO time); returns how many. */
export async function pruneIdempotencyKeys(db: Kysely<Database>, before: string): Promise<number> {
  const r = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0n);
}
