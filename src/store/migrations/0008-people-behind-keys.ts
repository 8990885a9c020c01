import type { Kysely } from 'kysely';

// The person behind each key (a staff or badge number, or a system name for machine keys), so that
// audit entries name people and two-person rules compare people, not keys. Keys made before this
// have no person: each counts as a person of its own ("key:<id>") until it is rotated.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('person', 'text').execute();
}
