import type { Kysely } from 'kysely';
import { scriptIndexRows } from '../campaigns/script-index.js';
import type { ScriptFingerprintsTable } from '../campaigns/schema.js';

// Issue 15: an index of script fingerprints. Every new honeypot transcript or conversation-guard
// call used to read every stored fingerprint and regroup them all; script_fingerprints holds both
// kinds in one place (the fingerprint, its caller and, for a guard call, the organisation that
// followed it) and script_bands their LSH band keys (src/campaigns/lsh.ts), so a new script reads
// only the rows that share a band key with it. Existing transcripts and guard calls are indexed
// here, a page at a time.
const PAGE = 1000;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('script_fingerprints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('party', 'text')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('script_fingerprints_caller').on('script_fingerprints').column('caller').execute();
  await db.schema
    .createTable('script_bands')
    .addColumn('band', 'bigint', (c) => c.notNull())
    .addColumn('script_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('script_bands_pk', ['band', 'script_id'])
    .execute();

  const write = async (scripts: ScriptFingerprintsTable[]): Promise<void> => {
    const rows = scripts.map(scriptIndexRows).filter((r) => r !== undefined);
    if (rows.length === 0) return;
    await db.insertInto('script_fingerprints').values(rows.map((r) => r.script)).execute();
    for (let i = 0; i < rows.length; i += 200) await db.insertInto('script_bands').values(rows.slice(i, i + 200).flatMap((r) => r.bands)).execute();
  };
  for (let after = ''; ; ) {
    const page = await db.selectFrom('honeypot_transcripts').select(['id', 'caller', 'fingerprint', 'at']).where('id', '>', after).orderBy('id').limit(PAGE).execute();
    if (page.length === 0) break;
    await write(page.map((r) => ({ id: `honeypot:${r.id}`, source: 'honeypot', caller: r.caller, party: null, fingerprint: r.fingerprint, at: r.at })));
    after = page.at(-1)!.id;
  }
  for (let after = ''; ; ) {
    const page = await db
      .selectFrom('guard_calls')
      .select(['id', 'caller', 'org_id', 'fingerprint', 'ended_at', 'started_at'])
      .where('fingerprint', 'is not', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (page.length === 0) break;
    await write(page.map((r) => ({ id: `guard:${r.id}`, source: 'guard', caller: r.caller, party: r.org_id, fingerprint: r.fingerprint, at: r.ended_at ?? r.started_at })));
    after = page.at(-1)!.id;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('script_bands').execute();
  await db.schema.dropTable('script_fingerprints').execute();
}
