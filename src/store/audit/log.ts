import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { GENESIS_HASH, hashEntry, verifyChain } from '../../audit/index.js';
import type { AuditEntry, ChainCheck } from '../../audit/index.js';
import type { Database } from '../schema.js';

export interface AuditInput {
  actor: string;
  action: string;
  subject: string;
  details?: Record<string, unknown>;
  at?: string;
}

/**
 * Appends one entry. Call it inside the same transaction as the change it records, so either both
 * land or neither does. On SQLite the single writer serialises appends; on PostgreSQL an advisory
 * transaction lock keeps one chain under concurrent writers.
 */
export async function appendAudit(db: Kysely<Database>, input: AuditInput, engine: 'sqlite' | 'postgres' = 'sqlite'): Promise<AuditEntry> {
  if (engine === 'postgres') await sql`select pg_advisory_xact_lock(7401)`.execute(db);
  const last = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const base = {
    seq: (last ? Number(last.seq) : 0) + 1,
    at: input.at ?? new Date().toISOString(),
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    details: JSON.stringify(input.details ?? {}),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const entry: AuditEntry = { ...base, hash: hashEntry(base) };
  await db
    .insertInto('audit_log')
    .values({ seq: entry.seq, at: entry.at, actor: entry.actor, action: entry.action, subject: entry.subject, details: entry.details, prev_hash: entry.prevHash, hash: entry.hash })
    .execute();
  return entry;
}

function toEntry(r: Database['audit_log']): AuditEntry {
  return { seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: r.details, prevHash: r.prev_hash, hash: r.hash };
}

/** Reads the chain in pages so a long log is checked in constant memory. */
export async function verifyAuditLog(db: Kysely<Database>): Promise<ChainCheck> {
  const PAGE = 5000;
  let position = { head: GENESIS_HASH, seq: 0 };
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', position.seq).orderBy('seq').limit(PAGE).execute();
    if (rows.length === 0) return { ok: true, entries: checked, head: position.head };
    const check = verifyChain(rows.map(toEntry), position);
    if (!check.ok) return { ...check, entries: checked + check.entries };
    checked += check.entries;
    position = { head: check.head!, seq: Number(rows[rows.length - 1]!.seq) };
  }
}

export async function listAudit(db: Kysely<Database>, opts: { after?: number; limit?: number }): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>', opts.after ?? 0)
    .orderBy('seq')
    .limit(Math.min(opts.limit ?? 100, 1000))
    .execute();
  return rows.map(toEntry);
}
