// The audit log as a transparency log: signed checkpoints, their delivery to witnesses, proofs and
// entries for the HTTP API and the CLI (docs/audit.md).
import type { Kysely } from 'kysely';
import type { AppContext } from '../../app-context.js';
import { OVERSEERS } from '../../auth/index.js';
import { CallshieldError } from '../../errors.js';
import { consistencyRanges, inclusionRanges, isEntryAbout, signCheckpoint, verifyConsistency } from '../../audit/index.js';
import {
  auditEntryAt,
  auditTreeSize,
  insertCheckpoint,
  latestCheckpoint,
  rangeHashes,
  treeRoot,
} from '../../store/audit/log.js';
import type { StoredAuditEntry, StoredCheckpoint } from '../../store/audit/log.js';
import { endpointsSubscribedTo } from '../../store/payments/outbox.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { missingAuditKey } from './key.js';
import { enqueueEvent } from '../payments/events.js';

/** The broadcast event that carries each new checkpoint to the organisations that witness the log. */
export const CHECKPOINT_EVENT = 'audit.checkpoint';

export interface CheckpointView {
  origin: string;
  treeSize: number;
  /** base64, as in the note */
  rootHash: string;
  /** The signed note (c2sp.org/tlog-checkpoint), exactly as signed. */
  checkpoint: string;
  /** The verifier key to check it with, "<name>+<key ID>+<base64 key>". */
  publicKey: string | null;
  signedAt: string;
}

export function checkpointView(ctx: AppContext, cp: StoredCheckpoint): CheckpointView {
  return {
    origin: cp.note.slice(0, cp.note.indexOf('\n')),
    treeSize: cp.treeSize,
    rootHash: cp.rootHash.toString('base64'),
    checkpoint: cp.note,
    publicKey: ctx.auditKey?.verifierKey ?? null,
    signedAt: cp.createdAt,
  };
}

/**
 * Signs a checkpoint of the log as it is now, stores it and queues it for every witness, all in
 * one transaction. Returns undefined when the latest checkpoint already covers every entry (or
 * another node signed this size first). The first checkpoint is signed even for an empty log, so
 * witnesses have a starting point.
 *
 * It refuses to sign a log that is not an append-only extension of its own latest checkpoint (a
 * consistency proof from the stored tree): the key must never vouch for a rewritten history.
 */
export async function signNewCheckpoint(ctx: AppContext): Promise<StoredCheckpoint | undefined> {
  const key = ctx.auditKey;
  if (!key) throw missingAuditKey(ctx.config);
  return ctx.db.transaction().execute(async (trx) => {
    const size = await auditTreeSize(trx);
    const latest = await latestCheckpoint(trx);
    if (latest && latest.treeSize >= size) {
      if (latest.treeSize > size) throw new CallshieldError('AUDIT_LOG_INCONSISTENT', `the log has ${size} entries but its latest checkpoint covers ${latest.treeSize}: entries were deleted`);
      return undefined;
    }
    const rootHash = await treeRoot(trx, size);
    if (latest && latest.treeSize > 0) {
      const proof = await rangeHashes(trx, consistencyRanges(latest.treeSize, size));
      if (!verifyConsistency(latest.treeSize, size, latest.rootHash, rootHash, proof)) {
        throw new CallshieldError('AUDIT_LOG_INCONSISTENT', `the log no longer extends its checkpoint of size ${latest.treeSize}: entries were rewritten; run \`callshield audit verify\``);
      }
    }
    const cp: StoredCheckpoint = {
      treeSize: size,
      rootHash,
      note: signCheckpoint({ origin: key.name, treeSize: size, rootHash }, key),
      createdAt: new Date(ctx.now()).toISOString(),
    };
    if (!(await insertCheckpoint(trx, cp))) return undefined;
    await sendToWitnesses(ctx, trx, cp);
    return cp;
  });
}

async function sendToWitnesses(ctx: AppContext, db: Kysely<Database>, cp: StoredCheckpoint): Promise<void> {
  const targets = (await endpointsSubscribedTo(db, CHECKPOINT_EVENT)).map((e) => ({ url: e.url, secretRef: `org:${e.org_id}`, orgId: e.org_id }));
  if (targets.length === 0) return;
  const view = checkpointView(ctx, cp);
  await enqueueEvent(ctx, db, CHECKPOINT_EVENT, { ...view }, targets, `audit.checkpoint:${cp.treeSize}`);
}

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Every CALLSHIELD_AUDIT_CHECKPOINT_SECONDS: a new checkpoint if the log grew (`serve` runs this). */
export function startCheckpointer(ctx: AppContext, intervalMs = ctx.config.auditCheckpointSeconds * 1000): Checkpointer {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => signNewCheckpoint(ctx))
      .then((cp) => cp && ctx.logger.info({ treeSize: cp.treeSize }, 'audit checkpoint signed'))
      .catch((err) => ctx.logger.error({ err }, 'could not sign an audit checkpoint'));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

export async function currentCheckpoint(ctx: AppContext): Promise<CheckpointView> {
  const cp = await latestCheckpoint(ctx.db);
  if (!cp) throw new CallshieldError('AUDIT_NO_CHECKPOINT', 'no checkpoint has been signed yet (the server has no audit key, or has not started with one)');
  return checkpointView(ctx, cp);
}

function mayRead(actor: Actor, entry: StoredAuditEntry): boolean {
  return OVERSEERS.includes(actor.role) || isEntryAbout(entry, { name: actor.orgName, role: actor.role });
}

async function readableEntry(ctx: AppContext, actor: Actor, index: number, field: string): Promise<StoredAuditEntry> {
  const entry = await auditEntryAt(ctx.db, index);
  if (!entry) throw new CallshieldError('AUDIT_ENTRY_NOT_FOUND', `the log has no entry ${index} (leaf indexes start at 0)`, { field });
  if (!mayRead(actor, entry)) {
    throw new CallshieldError('AUTH_FORBIDDEN', `entry ${index} is not about ${actor.orgName}; only regulators and admins read every entry`);
  }
  return entry;
}

export interface EntryView {
  index: number;
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
  prevHash: string;
  hash: string;
  leafHash: string;
}

export function entryView(e: StoredAuditEntry): EntryView {
  return { index: e.seq - 1, seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, details: e.details, prevHash: e.prevHash, hash: e.hash, leafHash: e.leafHash.toString('base64') };
}

export async function readEntry(ctx: AppContext, actor: Actor, index: number): Promise<EntryView> {
  return entryView(await readableEntry(ctx, actor, index, 'index'));
}

function checkSize(value: number, size: number, field: string, what: string): void {
  if (value > size) throw new CallshieldError('REQUEST_INVALID_QUERY', `${field} is ${value}, but the log has ${size} entries (${what})`, { field });
}

export interface InclusionProofView {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  inclusionPath: string[];
}

/** RFC 9162 §2.1.3: PATH(index, D[0:treeSize]) for an entry the caller may read. */
export async function proveInclusion(ctx: AppContext, actor: Actor, index: number, treeSize: number): Promise<InclusionProofView> {
  if (index >= treeSize) throw new CallshieldError('REQUEST_INVALID_QUERY', `index must be below treeSize (${treeSize})`, { field: 'index' });
  checkSize(treeSize, await auditTreeSize(ctx.db), 'treeSize', 'ask for a size of a checkpoint you hold');
  const entry = await readableEntry(ctx, actor, index, 'index');
  const path = await rangeHashes(ctx.db, inclusionRanges(index, treeSize));
  return { leafIndex: index, treeSize, leafHash: entry.leafHash.toString('base64'), inclusionPath: path.map((h) => h.toString('base64')) };
}

export interface ConsistencyProofView {
  treeSize1: number;
  treeSize2: number;
  consistencyPath: string[];
}

/** RFC 9162 §2.1.4: PROOF(from, D[0:to]); it shows no entry, so every witness may ask. */
export async function proveConsistency(ctx: AppContext, from: number, to: number): Promise<ConsistencyProofView> {
  if (from > to) throw new CallshieldError('REQUEST_INVALID_QUERY', `from (${from}) must not be larger than to (${to})`, { field: 'from' });
  checkSize(to, await auditTreeSize(ctx.db), 'to', 'ask up to the size of the latest checkpoint');
  const path = await rangeHashes(ctx.db, consistencyRanges(from, to));
  return { treeSize1: from, treeSize2: to, consistencyPath: path.map((h) => h.toString('base64')) };
}
