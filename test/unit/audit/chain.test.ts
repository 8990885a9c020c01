import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey } from 'node:crypto';
import {
  GENESIS_HASH,
  entryBytes,
  generateKeyPem,
  hashEntry,
  hashLeaf,
  memoryTree,
  consistencyProof,
  noteSigner,
  rootOf,
  signCheckpoint,
  verifyChain,
  verifyCheckpoint,
  verifyConsistency,
} from '../../../src/audit/index.js';
import type { AuditEntry } from '../../../src/audit/index.js';

/** A valid chain of n entries, built the way the store appends them. */
function chain(n: number, from = { head: GENESIS_HASH, seq: 0 }): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev = from.head;
  for (let i = 1; i <= n; i++) {
    const seq = from.seq + i;
    const base = {
      seq,
      at: new Date(Date.UTC(2026, 10, 26, 9, 0, seq)).toISOString(),
      actor: seq % 2 ? 'Regulator (regulator)' : 'Demo App (app)',
      action: ['key.create', 'list.upload', 'appeal.file', 'appeal.upheld'][seq % 4]!,
      subject: `appeal:${seq}`,
      details: JSON.stringify({ n: seq, note: 'a | b, "quoted"' }),
      prevHash: prev,
    };
    const e = { ...base, hash: hashEntry(base) };
    out.push(e);
    prev = e.hash;
  }
  return out;
}

/** Re-hashes an entry after a change, as a forger who knows the algorithm would. */
function rehash(e: Omit<AuditEntry, 'hash'>): AuditEntry {
  return { ...e, hash: hashEntry(e) };
}

describe('hashEntry', () => {
  it('is a SHA-256 hex digest that covers every field', () => {
    const [e] = chain(1);
    assert.match(e!.hash, /^[0-9a-f]{64}$/);
    const { hash: _h, ...base } = e!;
    for (const field of ['seq', 'at', 'actor', 'action', 'subject', 'details', 'prevHash'] as const) {
      const changed = { ...base, [field]: field === 'seq' ? 2 : `${String(base[field])}x` };
      assert.notEqual(hashEntry(changed), e!.hash, field);
    }
  });

  it('cannot be fooled by moving text between fields', () => {
    const [e] = chain(1);
    assert.notEqual(hashEntry({ ...e!, actor: 'ab', action: 'c' }), hashEntry({ ...e!, actor: 'a', action: 'bc' }));
    assert.notEqual(hashEntry({ ...e!, subject: 'x","y', details: '{}' }), hashEntry({ ...e!, subject: 'x', details: 'y","{}' }));
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and returns its head', () => {
    const entries = chain(10);
    const r = verifyChain(entries);
    assert.deepEqual(r, { ok: true, entries: 10, head: entries[9]!.hash });
  });

  it('accepts an empty chain', () => {
    assert.deepEqual(verifyChain([]), { ok: true, entries: 0, head: GENESIS_HASH });
  });

  it('the first entry must point at the genesis hash', () => {
    const entries = chain(3);
    entries[0] = rehash({ ...entries[0]!, prevHash: 'f'.repeat(64) });
    const r = verifyChain(entries);
    assert.equal(r.ok, false);
    assert.equal(r.brokenAt!.seq, 1);
  });

  it('detects an altered entry and names it', () => {
    for (const field of ['details', 'actor', 'action', 'subject', 'at'] as const) {
      const entries = chain(10);
      entries[4] = { ...entries[4]!, [field]: `${entries[4]![field]} (edited)` };
      const r = verifyChain(entries);
      assert.equal(r.ok, false, field);
      assert.equal(r.brokenAt!.seq, 5, field);
      assert.match(r.brokenAt!.problem, /altered/);
      assert.equal(r.entries, 5);
      assert.equal(r.head, undefined);
    }
  });

  it('detects an altered entry even when the forger re-hashes it: the next link breaks', () => {
    const entries = chain(10);
    entries[4] = rehash({ ...entries[4]!, details: JSON.stringify({ n: 5, note: 'nothing happened' }) });
    const r = verifyChain(entries);
    assert.equal(r.ok, false);
    assert.equal(r.brokenAt!.seq, 6);
    assert.match(r.brokenAt!.problem, /hash of the entry before/);
  });

  it('detects a deleted entry', () => {
    const entries = chain(10);
    entries.splice(3, 1); // remove seq 4
    const r = verifyChain(entries);
    assert.equal(r.ok, false);
    assert.equal(r.brokenAt!.seq, 5);
    assert.match(r.brokenAt!.problem, /missing/);
  });

  it('detects a deleted entry even when later sequence numbers are renumbered', () => {
    const entries = chain(6);
    entries.splice(2, 1);
    const renumbered = entries.map((e, i) => rehash({ ...e, seq: i + 1 }));
    const r = verifyChain(renumbered);
    assert.equal(r.ok, false);
    assert.equal(r.brokenAt!.seq, 3);
  });

  it('cannot see the newest entries deleted, or a rewrite with every later hash recomputed', () => {
    // The limit that the Merkle tree and its signed checkpoints exist for (see the next suite).
    const entries = chain(5);
    assert.equal(verifyChain(entries.slice(0, 4)).ok, true);
    const rewritten = chain(5);
    let prev = GENESIS_HASH;
    for (let i = 0; i < rewritten.length; i++) {
      const details = i === 1 ? JSON.stringify({ n: 2, note: 'nothing happened' }) : rewritten[i]!.details;
      rewritten[i] = rehash({ ...rewritten[i]!, details, prevHash: prev });
      prev = rewritten[i]!.hash;
    }
    assert.equal(verifyChain(rewritten).ok, true);
  });

  it('detects reordering', () => {
    const entries = chain(6);
    const swapped = [entries[0]!, entries[2]!, entries[1]!, ...entries.slice(3)];
    const r = verifyChain(swapped);
    assert.equal(r.ok, false);
    assert.equal(r.brokenAt!.seq, 3);
    // Swapping and renumbering does not help either: the links no longer match.
    const renumbered = swapped.map((e, i) => ({ ...e, seq: i + 1 }));
    const r2 = verifyChain(renumbered);
    assert.equal(r2.ok, false);
    assert.equal(r2.brokenAt!.seq, 2);
  });

  it('detects a duplicated entry', () => {
    const entries = chain(4);
    const r = verifyChain([entries[0]!, entries[1]!, entries[1]!, entries[2]!, entries[3]!]);
    assert.equal(r.ok, false);
    assert.equal(r.brokenAt!.seq, 2);
  });

  describe('paging with `from`', () => {
    it('checking page by page gives the same result as checking all at once', () => {
      const entries = chain(25);
      let position = { head: GENESIS_HASH, seq: 0 };
      let total = 0;
      for (let i = 0; i < entries.length; i += 7) {
        const page = entries.slice(i, i + 7);
        const r = verifyChain(page, position);
        assert.equal(r.ok, true, `page at ${i}`);
        total += r.entries;
        position = { head: r.head!, seq: page[page.length - 1]!.seq };
      }
      assert.equal(total, 25);
      assert.equal(position.head, verifyChain(entries).head);
    });

    it('a page must continue from the given head and sequence number', () => {
      const entries = chain(10);
      const second = entries.slice(5);
      assert.equal(verifyChain(second, { head: entries[4]!.hash, seq: 5 }).ok, true);
      const wrongHead = verifyChain(second, { head: entries[3]!.hash, seq: 5 });
      assert.equal(wrongHead.ok, false);
      assert.equal(wrongHead.brokenAt!.seq, 6);
      const wrongSeq = verifyChain(second, { head: entries[4]!.hash, seq: 4 });
      assert.equal(wrongSeq.ok, false);
      assert.equal(wrongSeq.brokenAt!.seq, 6);
      assert.equal(verifyChain(second).ok, false, 'a later page alone does not verify from genesis');
    });

    it('an altered entry on a later page is found there', () => {
      const entries = chain(10);
      entries[7] = { ...entries[7]!, details: '{}' };
      const first = verifyChain(entries.slice(0, 5));
      assert.equal(first.ok, true);
      const r = verifyChain(entries.slice(5), { head: first.head!, seq: 5 });
      assert.equal(r.ok, false);
      assert.equal(r.brokenAt!.seq, 8);
      assert.equal(r.entries, 3);
    });
  });
});

describe('the same entries as Merkle leaves, against a signed checkpoint', () => {
  const signer = noteSigner('callshield.test/audit', createPrivateKey(generateKeyPem()));
  const leaves = (entries: AuditEntry[]): Buffer[] => entries.map((e) => hashLeaf(entryBytes(e)));
  const entries = chain(10);
  const saved = verifyCheckpoint(signCheckpoint({ origin: signer.name, treeSize: 10, rootHash: rootOf(leaves(entries)) }, signer), signer);
  assert.ok(saved.ok);
  const cp = saved.checkpoint;

  it('the leaf is the entry bytes whose SHA-256 is the chain hash', () => {
    assert.equal(hashEntry(entries[0]!), createHashHex(entryBytes(entries[0]!)));
  });

  it('detects the newest entries being deleted: the log is smaller than the checkpoint', () => {
    const truncated = entries.slice(0, 8);
    assert.equal(verifyChain(truncated).ok, true, 'the chain alone is fine');
    assert.ok(truncated.length < cp.treeSize);
  });

  it('detects an edit with every later hash recomputed: no consistency proof links the two', () => {
    const forged = chain(10).map((e) => ({ ...e }));
    let prev = GENESIS_HASH;
    for (let i = 0; i < forged.length; i++) {
      const details = i === 4 ? JSON.stringify({ n: 5, note: 'nothing happened' }) : forged[i]!.details;
      forged[i] = rehash({ ...forged[i]!, details, prevHash: prev });
      prev = forged[i]!.hash;
    }
    assert.equal(verifyChain(forged).ok, true, 'the chain alone is fine');
    const grown = [...forged, ...chain(3, { head: prev, seq: 10 })];
    const proof = consistencyProof(10, 13, memoryTree(leaves(grown)));
    assert.equal(verifyConsistency(cp.treeSize, 13, cp.rootHash, rootOf(leaves(grown)), proof), false);
    // The honest log grown by the same three entries is consistent with the checkpoint.
    const honest = [...entries, ...chain(3, { head: entries[9]!.hash, seq: 10 })];
    const good = consistencyProof(10, 13, memoryTree(leaves(honest)));
    assert.equal(verifyConsistency(cp.treeSize, 13, cp.rootHash, rootOf(leaves(honest)), good), true);
  });
});

function createHashHex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
