import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { StirTracesTable } from './schema.js';

export async function insertTraces(db: Kysely<Database>, rows: readonly StirTracesTable[]): Promise<void> {
  // Chunks keep each statement under SQLite's bound-parameter limit (12 columns × 500 rows).
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('stir_traces').values(rows.slice(i, i + 500)).execute();
}

export interface TraceRowWithOrg extends StirTracesTable {
  org_name: string | null;
}

const LIMIT = 2000;

export async function tracesByOrigid(db: Kysely<Database>, origid: string): Promise<TraceRowWithOrg[]> {
  return db
    .selectFrom('stir_traces')
    .leftJoin('orgs', 'orgs.id', 'stir_traces.org_id')
    .selectAll('stir_traces')
    .select('orgs.name as org_name')
    .where('stir_traces.origid', '=', origid)
    .orderBy('stir_traces.at')
    .limit(LIMIT)
    .execute();
}

/** Records of calls from `orig` (canonical TN) between two ISO times, oldest first. */
export async function tracesByOrig(db: Kysely<Database>, orig: string, from: string, to: string): Promise<TraceRowWithOrg[]> {
  return db
    .selectFrom('stir_traces')
    .leftJoin('orgs', 'orgs.id', 'stir_traces.org_id')
    .selectAll('stir_traces')
    .select('orgs.name as org_name')
    .where('stir_traces.orig', '=', orig)
    .where('stir_traces.at', '>=', from)
    .where('stir_traces.at', '<=', to)
    .orderBy('stir_traces.at')
    .limit(LIMIT)
    .execute();
}
