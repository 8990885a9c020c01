import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  EMPTY_ROOT,
  TreeBuilder,
  consistencyProof,
  consistencyRanges,
  hashLeaf,
  inclusionProof,
  inclusionRanges,
  memoryTree,
  perfectNodesOf,
  rangeHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '../../../src/audit/merkle-tree.js';

// Published RFC 6962 / RFC 9162 test vectors, as data: the eight leaves, tree heads and proofs of
// the Certificate Transparency test suites (certificate-transparency-go merkletree tests, carried
// over to transparency-dev/merkle proof/verify_test.go). None of these values is computed by the
// code under test.
const LEAVES_HEX = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];

/** MTH of the first 1..8 leaves. */
const ROOTS_HEX = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const EMPTY_TREE_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Inclusion proofs: leaf index (0-based), tree size, audit path. */
const INCLUSION: { index: number; size: number; path: string[] }[] = [
  { index: 0, size: 1, path: [] },
  {
    index: 0,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    path: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

/** Consistency proofs: sizes and path. */
const CONSISTENCY: { from: number; to: number; path: string[] }[] = [
  { from: 1, to: 1, path: [] },
  {
    from: 1,
    to: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    from: 6,
    to: 8,
    path: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    from: 2,
    to: 5,
    path: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'],
  },
  {
    from: 6,
    to: 7,
    path: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

/**
 * Which perfect subtrees (level/index) make up each proof, from the same test suite's structural
 * vectors (transparency-dev/merkle proof/proof_test.go, the tree of RFC 6962 §2.1.3 with 7 leaves).
 * A "rehash" there (a range that is not one perfect subtree) is written as the list of its nodes.
 */
const INCLUSION_NODES: { index: number; size: number; nodes: string[][] }[] = [
  { index: 0, size: 2, nodes: [['0/1']] },
  { index: 1, size: 3, nodes: [['0/0'], ['0/2']] },
  { index: 0, size: 7, nodes: [['0/1'], ['1/1'], ['1/2', '0/6']] },
  { index: 4, size: 7, nodes: [['0/5'], ['0/6'], ['2/0']] },
  { index: 6, size: 7, nodes: [['1/2'], ['2/0']] },
  { index: 3, size: 5, nodes: [['0/2'], ['1/0'], ['0/4']] },
  { index: 10, size: 15, nodes: [['0/11'], ['1/4'], ['1/6', '0/14'], ['3/0']] },
  { index: 24, size: 31, nodes: [['0/25'], ['1/13'], ['1/14', '0/30'], ['3/2'], ['4/0']] },
  { index: 81, size: 95, nodes: [['0/80'], ['1/41'], ['2/21'], ['2/22', '1/46', '0/94'], ['4/4'], ['6/0']] },
];

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const LEAVES = LEAVES_HEX.map(hex);
const LEAF_HASHES = LEAVES.map((l) => hashLeaf(l));

describe('Merkle tree hashing (RFC 9162 §2.1.1)', () => {
  it('the empty tree hashes to SHA-256 of nothing', () => {
    assert.equal(EMPTY_ROOT.toString('hex'), EMPTY_TREE_HEX);
    assert.equal(rootOf([]).toString('hex'), EMPTY_TREE_HEX);
  });

  it('the tree heads of sizes 1..8 match the published roots', () => {
    for (let n = 1; n <= 8; n++) assert.equal(rootOf(LEAF_HASHES.slice(0, n)).toString('hex'), ROOTS_HEX[n - 1], `size ${n}`);
  });

  it('the root of any prefix folds from the stored perfect subtrees', () => {
    const lookup = memoryTree(LEAF_HASHES);
    for (let n = 1; n <= 8; n++) assert.equal(rangeHash(0, n, lookup).toString('hex'), ROOTS_HEX[n - 1], `size ${n}`);
  });

  it('the builder reports each completed subtree once, with its level and index', () => {
    const seen: string[] = [];
    const t = new TreeBuilder((level, index) => seen.push(`${level}/${index}`));
    for (const h of LEAF_HASHES.slice(0, 7)) t.push(h);
    assert.deepEqual(seen, ['1/0', '1/1', '2/0', '1/2']);
    assert.equal(t.size, 7);
    assert.equal(t.root().toString('hex'), ROOTS_HEX[6]);
  });

  it('splits a range into aligned perfect subtrees', () => {
    assert.deepEqual(perfectNodesOf(0, 7), [{ level: 2, index: 0 }, { level: 1, index: 2 }, { level: 0, index: 6 }]);
    assert.deepEqual(perfectNodesOf(4, 8), [{ level: 2, index: 1 }]);
    assert.deepEqual(perfectNodesOf(64, 95), [{ level: 4, index: 4 }, { level: 3, index: 10 }, { level: 2, index: 22 }, { level: 1, index: 46 }, { level: 0, index: 94 }]);
  });
});

describe('inclusion proofs (RFC 9162 §2.1.3)', () => {
  const lookup = memoryTree(LEAF_HASHES);

  for (const v of INCLUSION) {
    it(`leaf ${v.index} in a tree of ${v.size}: generated path matches the published one and verifies`, () => {
      const path = inclusionProof(v.index, v.size, lookup);
      assert.deepEqual(path.map((p) => p.toString('hex')), v.path);
      assert.equal(verifyInclusion(v.index, v.size, LEAF_HASHES[v.index]!, v.path.map(hex), hex(ROOTS_HEX[v.size - 1]!)), true);
    });
  }

  it('uses the perfect subtrees the structural vectors name', () => {
    for (const v of INCLUSION_NODES) {
      const got = inclusionRanges(v.index, v.size).map(([s, e]) => perfectNodesOf(s, e).map((n) => `${n.level}/${n.index}`));
      // The structural vectors list a non-perfect range's nodes bottom-up; ours are left to right.
      assert.deepEqual(got.map((g) => [...g].sort()), v.nodes.map((g) => [...g].sort()), `${v.index}:${v.size}`);
    }
  });

  it('rejects corrupted proofs (the probes of the same suite)', () => {
    for (const v of INCLUSION.filter((x) => x.path.length > 0)) {
      const root = hex(ROOTS_HEX[v.size - 1]!);
      const leaf = LEAF_HASHES[v.index]!;
      const path = v.path.map(hex);
      const probes: [string, boolean][] = [
        ['index - 1', verifyInclusion(v.index - 1, v.size, leaf, path, root)],
        ['index + 1', verifyInclusion(v.index + 1, v.size, leaf, path, root)],
        ['index ^ 2', verifyInclusion(v.index ^ 2, v.size, leaf, path, root)],
        ['size * 2', verifyInclusion(v.index, v.size * 2, leaf, path, root)],
        ['size / 2', verifyInclusion(v.index, Math.floor(v.size / 2), leaf, path, root)],
        ['wrong leaf', verifyInclusion(v.index, v.size, hashLeaf(Buffer.from('WrongLeaf')), path, root)],
        ['empty root', verifyInclusion(v.index, v.size, leaf, path, hex(EMPTY_TREE_HEX))],
        ['trailing root', verifyInclusion(v.index, v.size, leaf, [...path, root], root)],
        ['preceding root', verifyInclusion(v.index, v.size, leaf, [root, ...path], root)],
        ['removed component', verifyInclusion(v.index, v.size, leaf, path.slice(0, -1), root)],
        ['trailing garbage', verifyInclusion(v.index, v.size, leaf, [...path, Buffer.alloc(0)], root)],
      ];
      for (let i = 0; i < path.length; i++) {
        const wrong = path.map((p) => Buffer.from(p));
        wrong[i]![0]! ^= 8;
        probes.push([`modified path[${i}]`, verifyInclusion(v.index, v.size, leaf, wrong, root)]);
      }
      for (const [what, ok] of probes) assert.equal(ok, false, `${v.index}:${v.size} ${what}`);
    }
  });

  it('a one-leaf tree: the leaf hash is the root and the path is empty', () => {
    assert.equal(verifyInclusion(0, 1, LEAF_HASHES[0]!, [], LEAF_HASHES[0]!), true);
    assert.equal(verifyInclusion(0, 1, LEAF_HASHES[0]!, [], LEAF_HASHES[1]!), false);
    assert.equal(verifyInclusion(0, 0, LEAF_HASHES[0]!, [], EMPTY_ROOT), false);
    assert.equal(verifyInclusion(1, 1, LEAF_HASHES[0]!, [], LEAF_HASHES[0]!), false);
  });

  it('every leaf of every tree up to 70 leaves proves and verifies', () => {
    const leaves = Array.from({ length: 70 }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`)));
    const all = memoryTree(leaves);
    for (let n = 1; n <= leaves.length; n++) {
      const root = rootOf(leaves.slice(0, n));
      for (let m = 0; m < n; m++) assert.equal(verifyInclusion(m, n, leaves[m]!, inclusionProof(m, n, all), root), true, `${m}:${n}`);
    }
  });

  it('refuses to build a proof for a leaf outside the tree', () => {
    assert.throws(() => inclusionRanges(3, 3), RangeError);
    assert.throws(() => inclusionRanges(-1, 3), RangeError);
  });
});

describe('consistency proofs (RFC 9162 §2.1.4)', () => {
  const lookup = memoryTree(LEAF_HASHES);

  for (const v of CONSISTENCY) {
    it(`from ${v.from} to ${v.to}: generated proof matches the published one and verifies`, () => {
      assert.deepEqual(consistencyProof(v.from, v.to, lookup).map((p) => p.toString('hex')), v.path);
      assert.equal(verifyConsistency(v.from, v.to, hex(ROOTS_HEX[v.from - 1]!), hex(ROOTS_HEX[v.to - 1]!), v.path.map(hex)), true);
    });
  }

  it('uses the perfect subtrees the structural vectors name', () => {
    const cases: [number, number, string[][]][] = [
      [1, 2, [['0/1']]],
      [1, 4, [['0/1'], ['1/1']]],
      [2, 8, [['1/1'], ['2/1']]],
      [3, 7, [['0/2'], ['0/3'], ['1/0'], ['1/2', '0/6']]],
      [4, 7, [['1/2', '0/6']]],
      [5, 7, [['0/4'], ['0/5'], ['0/6'], ['2/0']]],
      [7, 8, [['0/6'], ['0/7'], ['1/2'], ['2/0']]],
    ];
    for (const [m, n, nodes] of cases) {
      const got = consistencyRanges(m, n).map(([s, e]) => perfectNodesOf(s, e).map((x) => `${x.level}/${x.index}`).sort());
      assert.deepEqual(got, nodes.map((g) => [...g].sort()), `${m}:${n}`);
    }
  });

  it('rejects corrupted proofs (the probes of the same suite)', () => {
    for (const v of CONSISTENCY.filter((x) => x.path.length > 0)) {
      const r1 = hex(ROOTS_HEX[v.from - 1]!);
      const r2 = hex(ROOTS_HEX[v.to - 1]!);
      const path = v.path.map(hex);
      const probes: [string, boolean][] = [
        ['size1 - 1', verifyConsistency(v.from - 1, v.to, r1, r2, path)],
        ['size1 + 1', verifyConsistency(v.from + 1, v.to, r1, r2, path)],
        ['size1 ^ 2', verifyConsistency(v.from ^ 2, v.to, r1, r2, path)],
        ['size2 * 2', verifyConsistency(v.from, v.to * 2, r1, r2, path)],
        ['size2 / 2', verifyConsistency(v.from, Math.floor(v.to / 2), r1, r2, path)],
        ['wrong root1', verifyConsistency(v.from, v.to, hex(EMPTY_TREE_HEX), r2, path)],
        ['wrong root2', verifyConsistency(v.from, v.to, r1, hex(EMPTY_TREE_HEX), path)],
        ['swapped roots', verifyConsistency(v.from, v.to, r2, r1, path)],
        ['empty proof', verifyConsistency(v.from, v.to, r1, r2, [])],
        ['trailing root1', verifyConsistency(v.from, v.to, r1, r2, [...path, r1])],
        ['trailing root2', verifyConsistency(v.from, v.to, r1, r2, [...path, r2])],
        ['preceding root1', verifyConsistency(v.from, v.to, r1, r2, [r1, ...path])],
        ['preceding root2', verifyConsistency(v.from, v.to, r1, r2, [r2, ...path])],
        ['preceding proof[0]', verifyConsistency(v.from, v.to, r1, r2, [path[0]!, ...path])],
        ['truncated proof', verifyConsistency(v.from, v.to, r1, r2, path.slice(0, -1))],
      ];
      for (let i = 0; i < path.length; i++) {
        const wrong = path.map((p) => Buffer.from(p));
        wrong[i]![0]! ^= 16;
        probes.push([`modified proof[${i}]`, verifyConsistency(v.from, v.to, r1, r2, wrong)]);
      }
      for (const [what, ok] of probes) assert.equal(ok, false, `${v.from}:${v.to} ${what}`);
    }
  });

  it('trivial cases: equal sizes need equal roots and no proof; the empty tree is extended by any', () => {
    const r = hex(ROOTS_HEX[3]!);
    assert.equal(verifyConsistency(4, 4, r, r, []), true);
    assert.equal(verifyConsistency(4, 4, r, hex(ROOTS_HEX[2]!), []), false);
    assert.equal(verifyConsistency(4, 4, r, r, [r]), false);
    assert.equal(verifyConsistency(0, 4, EMPTY_ROOT, r, []), true);
    assert.equal(verifyConsistency(5, 4, r, r, []), false);
  });

  it('every pair of sizes up to 70 leaves proves and verifies; a changed leaf breaks each', () => {
    const leaves = Array.from({ length: 70 }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`)));
    const all = memoryTree(leaves);
    for (let n = 1; n <= leaves.length; n++) {
      const rn = rootOf(leaves.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const rm = rootOf(leaves.slice(0, m));
        const proof = consistencyProof(m, n, all);
        assert.equal(verifyConsistency(m, n, rm, rn, proof), true, `${m}:${n}`);
        if (m < n) {
          // The old tree with its first leaf changed: the same proof no longer links the two.
          const forged = rootOf([hashLeaf(Buffer.from('forged')), ...leaves.slice(1, m)]);
          assert.equal(verifyConsistency(m, n, forged, rn, proof), false, `forged ${m}:${n}`);
        }
      }
    }
  });
});
