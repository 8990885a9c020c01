import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSnapshotHeader, parseSnapshotLine, snapshotLine, SNAPSHOT_FORMAT } from '../../../src/reputation/index-snapshot.js';
import { ReputationIndex } from '../../../src/reputation/hot-index.js';
import { scoreEvidence } from '../../../src/reputation/index.js';

describe('index snapshot lines', () => {
  it('round-trip any identifier, packed value and claimed organisation, tabs and line breaks included', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 0x7fffffff }), fc.option(fc.string({ minLength: 1 }), { nil: undefined }), (id, packed, claimed) => {
        const line = snapshotLine(id, packed, claimed);
        assert.equal(line.indexOf('\n'), line.length - 1, 'one line per entry');
        assert.deepEqual(parseSnapshotLine(line.slice(0, -1)), [id, packed, claimed]);
      }),
    );
  });

  it('refuses lines and headers that are not its own', () => {
    assert.throws(() => parseSnapshotLine('+12025550101'), /without a tab/);
    assert.throws(() => parseSnapshotLine('+12025550101\tx'), /bad packed value/);
    assert.throws(() => parseSnapshotLine('+12025550101\t-1'), /bad packed value/);
    assert.throws(() => parseSnapshotHeader('{"format":"other/1","seq":1,"writtenAt":"x","identifiers":0}'), /header/);
    assert.equal(parseSnapshotHeader(JSON.stringify({ format: SNAPSHOT_FORMAT, seq: 3, writtenAt: 'x', identifiers: 0 })).seq, 3);
  });

  it('restores what the index held: the same reputations come back out', () => {
    const now = Date.now();
    const a = new ReputationIndex();
    const reps = [1, 3, 8].map((n) =>
      scoreEvidence(Array.from({ length: n }, (_, i) => ({ source: 'crowd' as const, category: 'fraud' as const, at: now - 3_600_000, reporter: `r${i}` })), now),
    );
    a.set('+12025550101', reps[0]!);
    a.set('+12025550102', { ...reps[1]!, claimedOrganization: 'bank\tcustomer "service"' });
    a.set('scam@example.com', reps[2]!);
    const b = new ReputationIndex();
    for (const [id, packed, claimed] of a.packedEntries()) b.setPacked(...parseSnapshotLine(snapshotLine(id, packed, claimed).slice(0, -1)));
    for (const id of a.keys()) assert.deepEqual(b.get(id), a.get(id));
    assert.equal(b.size, 3);
  });
});

describe('index snapshot files', () => {
  it('read back byte by byte what was written, quoted identifiers and claimed organisations included; a cut or edited file is refused', async () => {
    const { mkdtempSync, readFileSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readIndexSnapshot, writeIndexSnapshot } = await import('../../../src/store/index-snapshot-file.js');
    const { snapshotMacKey } = await import('../../../src/reputation/index-snapshot.js');
    const dir = mkdtempSync(join(tmpdir(), 'cs-snap-'));
    try {
      const now = Date.now();
      const rep = scoreEvidence(Array.from({ length: 4 }, (_, i) => ({ source: 'crowd' as const, category: 'fraud' as const, at: now - 1000, reporter: `r${i}` })), now);
      const a = new ReputationIndex();
      // More lines than one 4 MB read, so lines cross chunk boundaries.
      for (let i = 0; i < 300_000; i++) a.set(`+1202${String(i).padStart(7, '0')}`, rep);
      a.set('odd\tid"with\nbreaks', rep);
      a.set('+12025559999', { ...rep, claimedOrganization: 'Acme "Bank"\tcustomer service' });
      a.set('用户@例子.中国', rep);
      const key = snapshotMacKey('secret');
      const file = join(dir, 'index.snapshot');
      await writeIndexSnapshot(file, a, 42, new Date(now), key);
      const b = new ReputationIndex();
      const header = await readIndexSnapshot(file, b, key);
      assert.equal(header.seq, 42);
      assert.equal(b.size, a.size);
      for (const id of ['+12020000000', '+12020299999', 'odd\tid"with\nbreaks', '+12025559999', '用户@例子.中国']) assert.deepEqual(b.get(id), a.get(id), id);

      const c = new ReputationIndex();
      await assert.rejects(readIndexSnapshot(file, c, snapshotMacKey('another deployment')), /MAC does not match/);
      assert.equal(c.size, 0, 'nothing of a refused snapshot stays in the index');
      const bytes = readFileSync(file);
      writeFileSync(file, bytes.subarray(0, bytes.length - 100));
      await assert.rejects(readIndexSnapshot(file, c, key), /MAC line|ends inside/);
      assert.equal(c.size, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
