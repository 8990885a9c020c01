import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { GENESIS_HASH, entryBytes, entryText, hashChildren, hashEntryBytes, hashLeaf, nodesNeeded, rangeHash, rootOf } from '../../audit/index.js';
import type { AuditEntry, LeafRange, NodeId } from '../../audit/index.js';
import type { Database } from '../schema.js';
import type { AuditCheckpointsTable } from './schema.js';

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

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** String.prototype.toWellFormed (ES2024), which the compile target does not declare yet. */
function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\ufffd');
}

/** The hash of the newest entry: the head of the chain. */
export async function chainHead(db: Kysely<Database>, size: number): Promise<string> {
  if (size === 0) return GENESIS_HASH;
  return (await db.selectFrom('audit_log').select('hash').where('seq', '=', size).executeTakeFirst())?.hash ?? GENESIS_HASH;
}

/**
 * Subtrees of 2^STORED_LEVEL leaves and up are stored; smaller ones are folded from the leaf
 * hashes on the entries' rows when a proof needs them (at most 15 leaf hashes each). So 15 appends
 * in 16 write nothing but their row, and the 16th writes the few subtrees it completes: with every
 * subtree stored, an append made two more statements and ran at 0.55× the plain chain's rate.
 */
export const STORED_LEVEL = 4;

function nodeKey(level: number, index: number): string {
  return `${level}/${index}`;
}

/** Hashes of perfect subtrees: leaves and small ones from the rows, the rest from audit_nodes. */
async function nodeHashes(db: Kysely<Database>, ids: readonly NodeId[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const small = ids.filter((n) => n.level < STORED_LEVEL);
  const stored = ids.filter((n) => n.level >= STORED_LEVEL);
  const seqs = [...new Set(small.flatMap((n) => Array.from({ length: 2 ** n.level }, (_, i) => n.index * 2 ** n.level + i + 1)))];
  const leaves = new Map<number, Buffer>();
  for (let i = 0; i < seqs.length; i += 500) {
    const rows = await db.selectFrom('audit_log').select(['seq', 'leaf_hash']).where('seq', 'in', seqs.slice(i, i + 500)).execute();
    for (const r of rows) leaves.set(Number(r.seq) - 1, Buffer.from(r.leaf_hash));
  }
  for (const n of small) {
    const hashes: Buffer[] = [];
    for (let i = n.index * 2 ** n.level; i < (n.index + 1) * 2 ** n.level; i++) {
      const h = leaves.get(i);
      if (!h) break;
      hashes.push(h);
    }
    if (hashes.length === 2 ** n.level) out.set(nodeKey(n.level, n.index), rootOf(hashes));
  }
  for (let i = 0; i < stored.length; i += 200) {
    const chunk = stored.slice(i, i + 200);
    const rows = await db
      .selectFrom('audit_nodes')
      .select(['level', 'idx', 'hash'])
      .where((eb) => eb.or(chunk.map((n) => eb.and([eb('level', '=', n.level), eb('idx', '=', n.index)]))))
      .execute();
    for (const r of rows) out.set(nodeKey(Number(r.level), Number(r.idx)), Buffer.from(r.hash));
  }
  return out;
}

/**
 * Appends one entry. Call it inside the same transaction as the change it records, so either both
 * land or neither does. On SQLite the single writer (BEGIN IMMEDIATE) serialises appends; on
 * PostgreSQL an advisory transaction lock keeps one sequence, one chain and one tree under
 * concurrent writers on every node.
 *
 * The leaf's hash goes on its row. An entry that completes a subtree of 16 leaves folds them and
 * carries on up through the stored subtrees to its left (the carries of a binary counter), so an
 * append costs the same whatever the size of the log.
 */
export async function appendAudit(db: Kysely<Database>, input: AuditInput, engine: 'sqlite' | 'postgres' = 'sqlite'): Promise<AuditEntry> {
  if (engine === 'postgres') await sql`select pg_advisory_xact_lock(7401)`.execute(db);
  const last = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const base = {
    seq: (last ? Number(last.seq) : 0) + 1,
    at: input.at ?? new Date().toISOString(),
    // A lone UTF-16 surrogate cannot be stored as UTF-8: it would come back as U+FFFD and the entry
    // would no longer match its hash. Store what the database can keep.
    actor: wellFormed(input.actor),
    action: wellFormed(input.action),
    subject: wellFormed(input.subject),
    details: JSON.stringify(input.details ?? {}),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const bytes = entryBytes(base);
  const entry: AuditEntry = { ...base, hash: hashEntryBytes(bytes) };
  const leafHash = hashLeaf(bytes);
  await db
    .insertInto('audit_log')
    .values({ seq: entry.seq, at: entry.at, actor: entry.actor, action: entry.action, subject: entry.subject, details: entry.details, prev_hash: entry.prevHash, hash: entry.hash, leaf_hash: leafHash })
    .execute();

  const block = 2 ** STORED_LEVEL;
  if (entry.seq % block === 0) {
    // This leaf completes the subtree of the last 16 leaves, and perhaps larger ones above it.
    const firstSeq = entry.seq - block + 1;
    const rows = await db.selectFrom('audit_log').select(['seq', 'leaf_hash']).where('seq', '>=', firstSeq).where('seq', '<', entry.seq).orderBy('seq').execute();
    if (rows.length !== block - 1) throw new Error(`audit log entries ${firstSeq}-${entry.seq - 1} are missing`);
    let level = STORED_LEVEL;
    let idx = entry.seq / block - 1;
    let h = rootOf([...rows.map((r) => Buffer.from(r.leaf_hash)), leafHash]);
    const nodes = [{ level, idx, hash: h }];
    const siblings: NodeId[] = [];
    for (let l = level, i = idx; i % 2 === 1; l++, i = Math.floor(i / 2)) siblings.push({ level: l, index: i - 1 });
    const found = siblings.length ? await nodeHashes(db, siblings) : new Map<string, Buffer>();
    for (const sib of siblings) {
      const left = found.get(nodeKey(sib.level, sib.index));
      if (!left) throw new Error(`audit tree node ${sib.level}/${sib.index} is missing`);
      h = hashChildren(left, h);
      level = sib.level + 1;
      idx = Math.floor(idx / 2);
      nodes.push({ level, idx, hash: h });
    }
    await db.insertInto('audit_nodes').values(nodes).execute();
  }
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

/**
 * A page of entries as verification reads them: each entry's canonical text (entryText), whether
 * its link points at the previous entry's hash, and the stored leaf hashes as one hex string
 * (64 characters per entry). Strings instead of row objects and Buffers: reading 10,000,000
 * entries as objects cost more than all the hashing (BENCHMARKS.md, audit log).
 */
export interface AuditEntryPage {
  readonly seqs: number[];
  readonly texts: string[];
  readonly linked: boolean[];
  readonly leafHex: string;
}

/** Stored subtrees of one level from `first` on: `count` of them, hashes as one hex string. */
export interface AuditNodePage {
  readonly first: number;
  readonly count: number;
  /** False when the indexes have a gap (a subtree row was deleted). */
  readonly contiguous: boolean;
  readonly hex: string;
}

/** The entries' sequence numbers and canonical texts only: the fast pass over a whole log. */
export interface AuditTextPage {
  readonly seqs: number[];
  readonly texts: string[];
}

/** What verification reads, page by page: the entries, and the stored subtrees level by level. */
export interface AuditLogReader {
  textPage(afterSeq: number, limit: number): Promise<AuditTextPage | undefined>;
  entryPage(afterSeq: number, limit: number): Promise<AuditEntryPage | undefined>;
  nodePage(level: number, afterIdx: number, limit: number): Promise<AuditNodePage | undefined>;
  close(): Promise<void>;
}

/**
 * A reader over kysely (both engines), or, given the SQLite file, over a read-only connection of
 * its own where SQLite builds each entry's text with json_array, which writes exactly what
 * JSON.stringify writes for the strings SQLite can store (test/integration/audit-store.test.ts).
 */
export function auditLogReader(db: Kysely<Database>, sqliteFile?: string): AuditLogReader {
  if (sqliteFile && sqliteFile !== ':memory:') return sqliteReader(sqliteFile);
  let lastHash = GENESIS_HASH;
  let lastSeq = 0;
  return {
    async textPage(after, limit) {
      const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(limit).execute();
      if (rows.length === 0) return undefined;
      const seqs = rows.map((r) => Number(r.seq));
      return { seqs, texts: rows.map((r, i) => entryText({ seq: seqs[i]!, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: r.details, prevHash: r.prev_hash })) };
    },
    async entryPage(after, limit) {
      const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(limit).execute();
      if (rows.length === 0) return undefined;
      if (after !== lastSeq) lastHash = (await db.selectFrom('audit_log').select('hash').where('seq', '=', after).executeTakeFirst())?.hash ?? GENESIS_HASH;
      const page = { seqs: [] as number[], texts: [] as string[], linked: [] as boolean[], leafHex: '' };
      for (const r of rows) {
        const seq = Number(r.seq);
        page.seqs.push(seq);
        page.texts.push(entryText({ seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: r.details, prevHash: r.prev_hash }));
        page.linked.push(r.prev_hash === (seq === 1 ? GENESIS_HASH : lastHash));
        page.leafHex += Buffer.from(r.leaf_hash).toString('hex');
        lastHash = r.hash;
        lastSeq = seq;
      }
      return page;
    },
    async nodePage(level, after, limit) {
      const rows = await db.selectFrom('audit_nodes').select(['idx', 'hash']).where('level', '=', level).where('idx', '>', after).orderBy('idx').limit(limit).execute();
      if (rows.length === 0) return undefined;
      const first = Number(rows[0]!.idx);
      return { first, count: rows.length, contiguous: Number(rows[rows.length - 1]!.idx) - first + 1 === rows.length, hex: rows.map((r) => Buffer.from(r.hash).toString('hex')).join('') };
    },
    close: async () => {},
  };
}

function sqliteReader(file: string): AuditLogReader {
  const conn = new SQLite(file, { readonly: true, fileMustExist: true });
  const entries = conn
    .prepare(
      `select seq, json_array(seq, at, actor, action, subject, details, prev_hash),
              prev_hash = coalesce((select p.hash from audit_log p where p.seq = a.seq - 1), '${GENESIS_HASH}')
       from audit_log a where seq > ? order by seq limit ?`,
    )
    .raw(true);
  const texts = conn.prepare('select seq, json_array(seq, at, actor, action, subject, details, prev_hash) from audit_log where seq > ? order by seq limit ?').raw(true);
  const leaves = conn.prepare("select lower(group_concat(hex(leaf_hash), '' order by seq)) from audit_log where seq > ? and seq <= ?").pluck();
  const nodes = conn
    .prepare("select min(idx), max(idx), count(*), lower(group_concat(hex(hash), '' order by idx)) from (select idx, hash from audit_nodes where level = ? and idx > ? order by idx limit ?)")
    .raw(true);
  return {
    async textPage(after, limit) {
      const rows = texts.all(after, limit) as [number, string][];
      if (rows.length === 0) return undefined;
      const page = { seqs: new Array<number>(rows.length), texts: new Array<string>(rows.length) };
      rows.forEach((r, i) => {
        page.seqs[i] = r[0];
        page.texts[i] = r[1];
      });
      return page;
    },
    async entryPage(after, limit) {
      const rows = entries.all(after, limit) as [number, string, number][];
      if (rows.length === 0) return undefined;
      const page = { seqs: new Array<number>(rows.length), texts: new Array<string>(rows.length), linked: new Array<boolean>(rows.length), leafHex: '' };
      rows.forEach((r, i) => {
        page.seqs[i] = r[0];
        page.texts[i] = r[1];
        page.linked[i] = r[2] === 1;
      });
      page.leafHex = (leaves.get(after, rows[rows.length - 1]![0]) as string | null) ?? '';
      return page;
    },
    async nodePage(level, after, limit) {
      const [min, max, count, hex] = nodes.get(level, after, limit) as [number | null, number | null, number, string | null];
      if (count === 0 || min === null || max === null) return undefined;
      return { first: min, count, contiguous: max - min + 1 === count, hex: hex ?? '' };
    },
    close: async () => void conn.close(),
  };
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
