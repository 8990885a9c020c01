import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { GENESIS_HASH, entryBytes, hashChildren, hashLeaf, nodesNeeded, rangeHash } from '../audit/index.js';
import type { AuditEntry, LeafRange, NodeId } from '../audit/index.js';
import type { Database } from './schema.js';
import type { AuditCheckpointsTable } from './schema-audit.js';

export interface AuditInput {
  actor: string;
  action: string;
  subject: string;
  details?: Record<string, unknown>;
  at?: string;
}

/** An entry with its Merkle leaf hash (leaf index = seq − 1). */
export interface StoredAuditEntry extends AuditEntry {
  readonly leafHash: Buffer;
}

/** Number of trailing one bits: how many subtrees the leaf at this index completes. */
function trailingOnes(n: number): number {
  let t = 0;
  while (n % 2 === 1) {
    t++;
    n = Math.floor(n / 2);
  }
  return t;
}

async function nodeHashes(db: Kysely<Database>, ids: readonly NodeId[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const leaves = ids.filter((n) => n.level === 0).map((n) => n.index + 1);
  const inner = ids.filter((n) => n.level > 0);
  for (let i = 0; i < leaves.length; i += 500) {
    const rows = await db.selectFrom('audit_log').select(['seq', 'leaf_hash']).where('seq', 'in', leaves.slice(i, i + 500)).execute();
    for (const r of rows) out.set(`0/${Number(r.seq) - 1}`, Buffer.from(r.leaf_hash));
  }
  for (let i = 0; i < inner.length; i += 200) {
    const chunk = inner.slice(i, i + 200);
    const rows = await db
      .selectFrom('audit_nodes')
      .select(['level', 'idx', 'hash'])
      .where((eb) => eb.or(chunk.map((n) => eb.and([eb('level', '=', n.level), eb('idx', '=', n.index)]))))
      .execute();
    for (const r of rows) out.set(`${Number(r.level)}/${Number(r.idx)}`, Buffer.from(r.hash));
  }
  return out;
}

/**
 * Appends one entry. Call it inside the same transaction as the change it records, so either both
 * land or neither does. On SQLite the single writer (BEGIN IMMEDIATE) serialises appends; on
 * PostgreSQL an advisory transaction lock keeps one sequence, one chain and one tree under
 * concurrent writers on every node.
 *
 * The leaf's hash goes on its row; each perfect subtree it completes goes into audit_nodes. That
 * is one node on average (the carries of a binary counter), read from the rows its siblings are
 * in, so an append costs the same whatever the size of the log.
 */
export async function appendAudit(db: Kysely<Database>, input: AuditInput, engine: 'sqlite' | 'postgres' = 'sqlite'): Promise<AuditEntry> {
  if (engine === 'postgres') await sql`select pg_advisory_xact_lock(7401)`.execute(db);
  const last = await db.selectFrom('audit_log').select(['seq', 'hash', 'leaf_hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const base = {
    seq: (last ? Number(last.seq) : 0) + 1,
    at: input.at ?? new Date().toISOString(),
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    details: JSON.stringify(input.details ?? {}),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const bytes = entryBytes(base);
  const entry: AuditEntry = { ...base, hash: createHash('sha256').update(bytes).digest('hex') };
  const leafHash = hashLeaf(bytes);

  const index = base.seq - 1;
  const carries = trailingOnes(index);
  const nodes: { level: number; idx: number; hash: Buffer }[] = [];
  if (carries > 0) {
    // The left siblings on the way up: the previous leaf, then stored subtrees of levels 1..carries-1.
    const wanted: NodeId[] = [];
    for (let level = 1; level < carries; level++) wanted.push({ level, index: Math.floor(index / 2 ** level) - 1 });
    const stored = wanted.length ? await nodeHashes(db, wanted) : new Map<string, Buffer>();
    let h = hashChildren(last!.leaf_hash, leafHash);
    nodes.push({ level: 1, idx: Math.floor(index / 2), hash: h });
    for (let level = 1; level < carries; level++) {
      const sibling = stored.get(`${level}/${Math.floor(index / 2 ** level) - 1}`);
      if (!sibling) throw new Error(`audit tree node ${level}/${Math.floor(index / 2 ** level) - 1} is missing`);
      h = hashChildren(sibling, h);
      nodes.push({ level: level + 1, idx: Math.floor(index / 2 ** (level + 1)), hash: h });
    }
  }
  await db
    .insertInto('audit_log')
    .values({ seq: entry.seq, at: entry.at, actor: entry.actor, action: entry.action, subject: entry.subject, details: entry.details, prev_hash: entry.prevHash, hash: entry.hash, leaf_hash: leafHash })
    .execute();
  if (nodes.length) await db.insertInto('audit_nodes').values(nodes).execute();
  return entry;
}

function toEntry(r: Database['audit_log']): StoredAuditEntry {
  return { seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: r.details, prevHash: r.prev_hash, hash: r.hash, leafHash: Buffer.from(r.leaf_hash) };
}

/** The number of leaves: sequence numbers run 1..size without gaps (verification checks that). */
export async function auditTreeSize(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('n')).executeTakeFirst();
  return r?.n == null ? 0 : Number(r.n);
}

/** The hashes of the ranges (e.g. a proof's), from the stored leaves and subtrees. */
export async function rangeHashes(db: Kysely<Database>, ranges: readonly LeafRange[]): Promise<Buffer[]> {
  const found = await nodeHashes(db, nodesNeeded(ranges));
  const lookup = (level: number, index: number): Buffer => {
    const h = found.get(`${level}/${index}`);
    if (!h) throw new Error(`audit tree node ${level}/${index} is missing`);
    return h;
  };
  return ranges.map(([s, e]) => rangeHash(s, e, lookup));
}

/** MTH of the first `size` leaves. */
export async function treeRoot(db: Kysely<Database>, size: number): Promise<Buffer> {
  const [root] = await rangeHashes(db, [[0, size]]);
  return root!;
}

/** The entry at a leaf index (0-based), or undefined. */
export async function auditEntryAt(db: Kysely<Database>, index: number): Promise<StoredAuditEntry | undefined> {
  const r = await db.selectFrom('audit_log').selectAll().where('seq', '=', index + 1).executeTakeFirst();
  return r ? toEntry(r) : undefined;
}

export async function listAudit(db: Kysely<Database>, opts: { after?: number; limit?: number }): Promise<StoredAuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>', opts.after ?? 0)
    .orderBy('seq')
    .limit(Math.min(opts.limit ?? 100, 1000))
    .execute();
  return rows.map(toEntry);
}

/** Entries in sequence order, a page at a time (verification reads the whole log this way). */
export async function auditPage(db: Kysely<Database>, afterSeq: number, limit: number): Promise<StoredAuditEntry[]> {
  return (await db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute()).map(toEntry);
}

/** Stored subtrees of one level in index order, a page at a time. */
export async function auditNodePage(db: Kysely<Database>, level: number, afterIdx: number, limit: number): Promise<{ idx: number; hash: Buffer }[]> {
  const rows = await db.selectFrom('audit_nodes').select(['idx', 'hash']).where('level', '=', level).where('idx', '>', afterIdx).orderBy('idx').limit(limit).execute();
  return rows.map((r) => ({ idx: Number(r.idx), hash: Buffer.from(r.hash) }));
}

export interface StoredCheckpoint {
  readonly treeSize: number;
  readonly rootHash: Buffer;
  readonly note: string;
  readonly createdAt: string;
}

function toCheckpoint(r: AuditCheckpointsTable): StoredCheckpoint {
  return { treeSize: Number(r.tree_size), rootHash: Buffer.from(r.root_hash), note: r.note, createdAt: r.created_at };
}

/** Stores a signed checkpoint; false when one of that size is already stored (another node's). */
export async function insertCheckpoint(db: Kysely<Database>, cp: StoredCheckpoint): Promise<boolean> {
  const r = await db
    .insertInto('audit_checkpoints')
    .values({ tree_size: cp.treeSize, root_hash: cp.rootHash, note: cp.note, created_at: cp.createdAt })
    .onConflict((oc) => oc.column('tree_size').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function latestCheckpoint(db: Kysely<Database>): Promise<StoredCheckpoint | undefined> {
  const r = await db.selectFrom('audit_checkpoints').selectAll().orderBy('tree_size', 'desc').limit(1).executeTakeFirst();
  return r ? toCheckpoint(r) : undefined;
}

/** Every stored checkpoint, oldest first (a few a day at most: they are small). */
export async function allCheckpoints(db: Kysely<Database>): Promise<StoredCheckpoint[]> {
  return (await db.selectFrom('audit_checkpoints').selectAll().orderBy('tree_size').execute()).map(toCheckpoint);
}
