import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Key lifecycle and people in the two-person rules of freezes.
//
// api_keys: an expiry (`keys create --expires`, and the end of a rotation's grace period), the last
// time the key was used (written at most once a minute per key and node), and the key that replaced
// it when it was rotated.
//
// freezes: the people (not only the keys) who filed and approved, and the first half of a two-person
// release or extension (who asked, when, why; the second person of the unit applies it). Existing
// freezes get the person of their keys, or "key:<id>" for keys made before people were recorded.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('expires_at', 'text').execute();
  await db.schema.alterTable('api_keys').addColumn('last_used_at', 'text').execute();
  await db.schema.alterTable('api_keys').addColumn('replaced_by', 'text').execute();
  await db.schema.createIndex('api_keys_org').on('api_keys').column('org_id').execute();

  for (const column of [
    'filed_by_person',
    'approved_by_person',
    'release_requested_by_person',
    'release_requested_by_key',
    'release_requested_at',
    'release_request_reason',
    'released_by_person',
    'released_by_key',
    'extend_requested_by_person',
    'extend_requested_by_key',
    'extend_requested_at',
    'extend_request_reason',
  ]) {
    await db.schema.alterTable('freezes').addColumn(column, 'text').execute();
  }
  await db.schema.alterTable('freezes').addColumn('extend_request_hours', 'integer').execute();
  await sql`update freezes set filed_by_person = coalesce((select k.person from api_keys k where k.id = freezes.filed_by_key), 'key:' || freezes.filed_by_key)`.execute(db);
  await sql`update freezes set approved_by_person = coalesce((select k.person from api_keys k where k.id = freezes.approved_by_key), 'key:' || freezes.approved_by_key) where approved_by_key is not null`.execute(db);
}
