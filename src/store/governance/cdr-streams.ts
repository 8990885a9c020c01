import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { GovernanceCdrStreamsTable, GovernancePatternsTable } from './schema.js';
import { packCheckpointBytes, unpackCheckpointBytes } from './checkpoint-bytes.js';

export interface CdrStreamRow {
  name: string;
  stream: string;
  subject: string;
  owner: string | null;
  leaseUntil: string | null;
  watermark: number;
  applied: number[];
  messages: number;
  rows: number;
  malformed: number;
  callers: number;
  flagged: number;
  snapshot: Uint8Array | null;
  createdAt: string;
  updatedAt: string;
}

function toRow(r: GovernanceCdrStreamsTable): CdrStreamRow {
  return {
    name: r.name,
    stream: r.stream,
    subject: r.subject,
    owner: r.owner,
    leaseUntil: r.lease_until,
    watermark: Number(r.watermark),
    applied: JSON.parse(r.applied) as number[],
    messages: Number(r.messages),
    rows: Number(r.rows),
    malformed: Number(r.malformed),
    callers: r.callers,
    flagged: r.flagged,
    snapshot: r.snapshot,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listCdrStreams(db: Kysely<Database>): Promise<Omit<CdrStreamRow, 'snapshot'>[]> {
  const rows = await db
    .selectFrom('governance_cdr_streams')
    .select(['name', 'stream', 'subject', 'owner', 'lease_until', 'watermark', 'applied', 'messages', 'rows', 'malformed', 'callers', 'flagged', 'created_at', 'updated_at'])
    .orderBy('name')
    .execute();
  return rows.map((r) => {
    const { snapshot: _s, ...rest } = toRow({ ...r, snapshot: null });
    return rest;
  });
}

export async function getCdrStream(db: Kysely<Database>, name: string): Promise<CdrStreamRow | undefined> {
  const r = await db.selectFrom('governance_cdr_streams').selectAll().where('name', '=', name).executeTakeFirst();
  return r ? toRow(r) : undefined;
}

/** Creates the consumer's row if it is missing (several nodes may race: the loser's insert is ignored). */
export async function ensureCdrStream(db: Kysely<Database>, name: string, stream: string, subject: string, at: string): Promise<void> {
  await db
    .insertInto('governance_cdr_streams')
    .values({ name, stream, subject, owner: null, lease_until: null, watermark: 0, applied: '[]', messages: 0, rows: 0, malformed: 0, callers: 0, flagged: 0, snapshot: null, created_at: at, updated_at: at })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/**
 * Takes (or renews) the lease when it is free, expired or already this node's: a compare-and-set
 * in one statement, so of two nodes racing for an expired lease exactly one wins.
 */
export async function claimCdrStream(db: Kysely<Database>, name: string, owner: string, now: string, until: string): Promise<boolean> {
  const r = await db
    .updateTable('governance_cdr_streams')
    .set({ owner, lease_until: until })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('owner', '=', owner), eb('owner', 'is', null), eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseCdrStream(db: Kysely<Database>, name: string, owner: string): Promise<void> {
  await db.updateTable('governance_cdr_streams').set({ owner: null, lease_until: null }).where('name', '=', name).where('owner', '=', owner).execute();
}

export interface CdrCheckpoint {
  leaseUntil: string;
  /**
   * A full snapshot (the new base, part 0: the stream's deltas are deleted) or the callers changed
   * since the last checkpoint (appended as part `seq`).
   */
  state: { base: Uint8Array } | { delta: Uint8Array; seq: number };
  watermark: number;
  applied: number[];
  messages: number;
  rows: number;
  malformed: number;
  callers: number;
  flagged: number;
  /** The campaign collector's traces at this checkpoint (replaced whole). */
  traces?: Uint8Array;
  at: string;
}

/** A checkpoint whose blobs are packed as stored (checkpoint-bytes.ts). */
export type PackedCdrCheckpoint = CdrCheckpoint & { readonly packed: true };

/** Packs a checkpoint's blobs; before its transaction, as packing takes tens of milliseconds. */
export async function packCdrCheckpoint(c: CdrCheckpoint): Promise<PackedCdrCheckpoint> {
  const state: CdrCheckpoint['state'] = 'base' in c.state ? { base: await packCheckpointBytes(c.state.base) } : { delta: await packCheckpointBytes(c.state.delta), seq: c.state.seq };
  return { ...c, state, ...(c.traces ? { traces: await packCheckpointBytes(c.traces) } : {}), packed: true };
}

/**
 * Writes a checkpoint if this node still holds the lease (fencing: a node that lost it, say after
 * a long pause, writes nothing). Returns false when the lease was lost.
 */
export async function saveCdrCheckpoint(db: Kysely<Database>, name: string, owner: string, c: PackedCdrCheckpoint): Promise<boolean> {
  const r = await db
    .updateTable('governance_cdr_streams')
    .set({
      // A base replaces the counters an older version kept in this row.
      ...('base' in c.state ? { snapshot: null } : {}),
      lease_until: c.leaseUntil,
      watermark: c.watermark,
      applied: JSON.stringify(c.applied),
      messages: c.messages,
      rows: c.rows,
      malformed: c.malformed,
      callers: c.callers,
      flagged: c.flagged,
      updated_at: c.at,
    })
    .where('name', '=', name)
    .where('owner', '=', owner)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  if ('base' in c.state) {
    await db.deleteFrom('governance_cdr_stream_state').where('name', '=', name).execute();
    await db.insertInto('governance_cdr_stream_state').values({ name, part: 0, data: c.state.base, created_at: c.at }).execute();
  } else {
    await db.insertInto('governance_cdr_stream_state').values({ name, part: c.state.seq, data: c.state.delta, created_at: c.at }).execute();
  }
  if (c.traces) {
    const data = c.traces;
    await db
      .insertInto('governance_cdr_stream_traces')
      .values({ name, data, updated_at: c.at })
      .onConflict((oc) => oc.column('name').doUpdateSet({ data, updated_at: c.at }))
      .execute();
  }
  return true;
}

/** The stream's counters: its base snapshot (part 0, when one was written) and the deltas since, in order. */
export async function cdrStreamParts(db: Kysely<Database>, name: string): Promise<{ part: number; data: Uint8Array }[]> {
  const rows = await db.selectFrom('governance_cdr_stream_state').select(['part', 'data']).where('name', '=', name).orderBy('part').execute();
  return rows.map((r) => ({ part: Number(r.part), data: unpackCheckpointBytes(r.data) }));
}

/** The stream's campaign traces as of its last checkpoint (none before migration 0027's first checkpoint). */
export async function cdrStreamTraces(db: Kysely<Database>, name: string): Promise<Uint8Array | undefined> {
  const r = await db.selectFrom('governance_cdr_stream_traces').select('data').where('name', '=', name).executeTakeFirst();
  return r && unpackCheckpointBytes(r.data);
}

/** Replaces the pattern rows of these callers for this stream. */
export async function upsertStreamPatterns(db: Kysely<Database>, rows: GovernancePatternsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const part = rows.slice(i, i + 1000);
    await db.deleteFrom('governance_patterns').where('id', 'in', part.map((r) => r.id)).execute();
    await db.insertInto('governance_patterns').values(part).execute();
  }
}
