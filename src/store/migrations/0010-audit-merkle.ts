import { PostgresAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';
import { TreeBuilder, entryBytes, hashLeaf } from '../../audit/index.js';

// The audit log becomes a Merkle tree (RFC 9162). The existing hash chain becomes its first leaves
// as it is: each entry's canonical bytes (the same bytes its chain hash covers) are its leaf, so
// nothing about an old entry changes and the chain keeps being written and checked beside the
// tree. The first checkpoint is signed when the node that migrated has its key (app-context.ts).
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = pg ? sql`bytea` : sql`blob`;
  await db.schema.alterTable('audit_log').addColumn('leaf_hash', bytes).execute();
  let nodes = db.schema
    .createTable('audit_nodes')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('hash', bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_nodes_pk', ['level', 'idx']);
  // Rows are looked up and written by (level, idx) only: no rowid to keep beside the key.
  if (!pg) nodes = nodes.modifyEnd(sql`without rowid`);
  await nodes.execute();
  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('tree_size', 'integer', (c) => c.primaryKey())
    .addColumn('root_hash', bytes, (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // Broadcast events an organisation's webhook subscribes to ("audit.checkpoint" for witnesses).
  await db.schema.alterTable('webhook_endpoints').addColumn('events', 'text').execute();

  const pending: { level: number; idx: number; hash: Buffer }[] = [];
  // Subtrees of 16 leaves and up are stored (store/audit-log.ts, STORED_LEVEL); smaller ones are
  // folded from the leaf hashes when needed.
  const tree = new TreeBuilder((level, idx, hash) => {
    if (level >= 4) pending.push({ level, idx, hash });
  });
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(2000).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      const leafHash = hashLeaf(entryBytes({ seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: r.details, prevHash: r.prev_hash }));
      await db.updateTable('audit_log').set({ leaf_hash: leafHash }).where('seq', '=', seq).execute();
      tree.push(leafHash);
    }
    for (let i = 0; i < pending.length; i += 500) await db.insertInto('audit_nodes').values(pending.slice(i, i + 500)).execute();
    pending.length = 0;
    after = Number(rows[rows.length - 1]!.seq);
  }
}
