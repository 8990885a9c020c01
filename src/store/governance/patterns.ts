import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { GovernanceCdrImportsTable, GovernancePatternsTable } from './schema.js';

export async function insertCdrImport(db: Kysely<Database>, run: GovernanceCdrImportsTable, patterns: GovernancePatternsTable[]): Promise<void> {
  await db.insertInto('governance_cdr_imports').values(run).execute();
  for (let i = 0; i < patterns.length; i += 2000) await db.insertInto('governance_patterns').values(patterns.slice(i, i + 2000)).execute();
}
