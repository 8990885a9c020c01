import * as crypto from 'node:crypto';

const { createHash } = crypto;
const oneShot = (crypto as { hash?: (alg: string, data: Uint8Array, enc: 'hex') => string }).hash;

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  /** JSON text, stored and hashed exactly as written. */
  readonly details: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** The hash the first entry points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The canonical bytes of an entry: its fields (the link to the previous entry included) as a JSON
 * array, UTF-8. Fields are joined with a separator that cannot appear unescaped inside the
 * JSON-encoded values. These bytes are the entry's leaf in the Merkle tree (merkle-tree.ts), and
 * their SHA-256 is the entry's chain hash.
 */
export function entryBytes(e: Omit<AuditEntry, 'hash'>): Buffer {
  return Buffer.from(entryText(e), 'utf8');
}

/** The same as text (entryBytes is its UTF-8 encoding). */
export function entryText(e: Omit<AuditEntry, 'hash'>): string {
  return JSON.stringify([e.seq, e.at, e.actor, e.action, e.subject, e.details, e.prevHash]);
}

// Each entry's hash covers its own fields and the previous entry's hash, so changing, removing or
// reordering any entry breaks every link after it. A forger who recomputes every later hash, or
// who deletes the newest entries, leaves a valid chain: the Merkle tree and its signed checkpoints
// (merkle-tree.ts, checkpoint.ts) are what catch those.
export function hashEntry(e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(entryBytes(e)).digest('hex');
}

/** hashEntry of bytes already made, with the one-shot digest where Node has it (appends). */
export function hashEntryBytes(bytes: Uint8Array): string {
  return oneShot ? oneShot('sha256', bytes, 'hex') : createHash('sha256').update(bytes).digest('hex');
}

export interface ChainCheck {
  readonly ok: boolean;
  readonly entries: number;
  /** The first entry whose link is broken, and why. */
  readonly brokenAt?: { seq: number; problem: string };
  readonly head?: string;
}

/** Where a check resumes: the head hash and sequence number of the entries already checked. */
export interface ChainPosition {
  readonly head: string;
  readonly seq: number;
}

/**
 * Walks the chain in order and reports the first broken link. Entries must be sorted by seq.
 * `from` lets a long log be checked page by page: pass the position the previous page ended at.
 */
export function verifyChain(entries: Iterable<AuditEntry>, from: ChainPosition = { head: GENESIS_HASH, seq: 0 }): ChainCheck {
  let prev = from.head;
  let expectedSeq = from.seq + 1;
  let n = 0;
  for (const e of entries) {
    n++;
    if (e.seq !== expectedSeq) return { ok: false, entries: n, brokenAt: { seq: e.seq, problem: `expected entry ${expectedSeq}, found ${e.seq} (an entry is missing)` } };
    if (e.prevHash !== prev) return { ok: false, entries: n, brokenAt: { seq: e.seq, problem: 'does not point to the hash of the entry before it' } };
    if (hashEntry(e) !== e.hash) return { ok: false, entries: n, brokenAt: { seq: e.seq, problem: 'its contents do not match its hash (it was altered)' } };
    prev = e.hash;
    expectedSeq++;
  }
  return { ok: true, entries: n, head: prev };
}
