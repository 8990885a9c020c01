// The Merkle tree of RFC 9162 §2.1 (the same tree as RFC 6962): leaves and nodes are hashed with
// different one-byte prefixes so that a leaf can never be passed off as a node (§2.1.1).
//
// Trees of any size are handled through their perfect subtrees: a stored node (level L, index i)
// is the root of the 2^L leaves [i·2^L, (i+1)·2^L). Every range that the RFC's recursive
// definitions ask for (MTH of D[k:n], the PATH and SUBPROOF pieces) starts on a boundary of its own
// size, so it splits into a handful of such nodes; callers fetch those from storage in one go and
// fold them here, without recomputing anything from the leaves.
import * as crypto from 'node:crypto';

export const HASH_SIZE = 32;

// crypto.hash (Node 20.12+) is the one-shot digest, about twice as fast as createHash for short
// inputs; verification of a long log is mostly these two hashes.
const oneShot = (crypto as { hash?: (alg: string, data: Uint8Array | string, enc: 'buffer') => Buffer }).hash;
function sha256(data: Uint8Array): Buffer {
  return oneShot ? oneShot('sha256', data, 'buffer') : crypto.createHash('sha256').update(data).digest();
}

/** MTH({}) = SHA-256() (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Buffer = sha256(new Uint8Array(0));

/** MTH({d}) = SHA-256(0x00 || d). */
export function hashLeaf(data: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(data.length + 1);
  buf[0] = 0x00;
  buf.set(data, 1);
  return sha256(buf);
}

/**
 * The leaf hash of UTF-8 text without building the byte string first: a NUL character encodes to
 * the 0x00 prefix byte. Verification of a long log hashes every entry this way.
 */
export function hashLeafText(text: string): Buffer {
  return oneShot ? oneShot('sha256', '\u0000' + text, 'buffer') : crypto.createHash('sha256').update('\u0000' + text, 'utf8').digest();
}

/** SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(1 + left.length + right.length);
  buf[0] = 0x01;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return sha256(buf);
}

/** A perfect subtree: the root of leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** Looks a perfect subtree's hash up (from storage, or from a tree in memory). */
export type NodeLookup = (level: number, index: number) => Buffer;

/** The largest power of two smaller than n (n > 1): the RFC's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function log2(n: number): number {
  return 31 - Math.clz32(n);
}

/** The perfect subtrees that make up leaves [start, end), left to right (start is aligned). */
export function perfectNodesOf(start: number, end: number): NodeId[] {
  const out: NodeId[] = [];
  let s = start;
  while (s < end) {
    const size = isPowerOfTwo(end - s) ? end - s : splitPoint(end - s);
    out.push({ level: log2(size), index: s / size });
    s += size;
  }
  return out;
}

/** MTH(D[start:end]) from the perfect subtrees of the range: they fold from the right (§2.1.1). */
export function rangeHash(start: number, end: number, lookup: NodeLookup): Buffer {
  if (end <= start) return EMPTY_ROOT;
  const nodes = perfectNodesOf(start, end);
  let h = lookup(nodes[nodes.length - 1]!.level, nodes[nodes.length - 1]!.index);
  for (let i = nodes.length - 2; i >= 0; i--) h = hashChildren(lookup(nodes[i]!.level, nodes[i]!.index), h);
  return h;
}

/** A range of leaves [start, end) whose MTH is one element of a proof. */
export type LeafRange = readonly [start: number, end: number];

/**
 * The ranges whose hashes form PATH(m, D[0:n]) (RFC 9162 §2.1.3.1), from the leaf upwards.
 * Requires 0 <= m < n.
 */
export function inclusionRanges(m: number, n: number): LeafRange[] {
  if (!(Number.isInteger(m) && Number.isInteger(n) && m >= 0 && m < n)) throw new RangeError(`no inclusion proof for leaf ${m} in a tree of ${n}`);
  const out: LeafRange[] = [];
  const path = (m: number, start: number, end: number): void => {
    const size = end - start;
    if (size === 1) return;
    const k = splitPoint(size);
    if (m < k) {
      path(m, start, start + k);
      out.push([start + k, end]);
    } else {
      path(m - k, start + k, end);
      out.push([start, start + k]);
    }
  };
  path(m, 0, n);
  return out;
}

/**
 * The ranges whose hashes form PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true) (RFC 9162 §2.1.4.1).
 * Requires 0 < m <= n; m == n gives the empty proof.
 */
export function consistencyRanges(m: number, n: number): LeafRange[] {
  if (!(Number.isInteger(m) && Number.isInteger(n) && m > 0 && m <= n)) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  const out: LeafRange[] = [];
  const subproof = (m: number, start: number, end: number, b: boolean): void => {
    const size = end - start;
    if (m === size) {
      if (!b) out.push([start, end]);
      return;
    }
    const k = splitPoint(size);
    if (m <= k) {
      subproof(m, start, start + k, b);
      out.push([start + k, end]);
    } else {
      subproof(m - k, start + k, end, false);
      out.push([start, start + k]);
    }
  };
  subproof(m, 0, n, true);
  return out;
}

/** Every perfect subtree a list of ranges needs, once each (to fetch them from storage together). */
export function nodesNeeded(ranges: readonly LeafRange[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const [s, e] of ranges) for (const id of perfectNodesOf(s, e)) seen.set(`${id.level}/${id.index}`, id);
  return [...seen.values()];
}

export function inclusionProof(m: number, n: number, lookup: NodeLookup): Buffer[] {
  return inclusionRanges(m, n).map(([s, e]) => rangeHash(s, e, lookup));
}

export function consistencyProof(m: number, n: number, lookup: NodeLookup): Buffer[] {
  return consistencyRanges(m, n).map(([s, e]) => rangeHash(s, e, lookup));
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * RFC 9162 §2.1.3.2: does `path` prove that the leaf with this hash is leaf `index` of the tree of
 * `size` leaves whose root is `root`?
 */
export function verifyInclusion(index: number, size: number, leafHash: Uint8Array, path: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!(Number.isInteger(index) && Number.isInteger(size)) || index < 0 || index >= size) return false; // step 1
  if (leafHash.length !== HASH_SIZE || root.length !== HASH_SIZE) return false;
  // fn and sn exceed 2^31 only for logs of more than two billion entries; Number keeps 53 bits.
  let fn = index; // step 2
  let sn = size - 1;
  let r: Buffer = Buffer.from(leafHash); // step 3
  for (const p of path) { // step 4
    if (p.length !== HASH_SIZE) return false;
    if (sn === 0) return false; // 4a
    if (fn % 2 === 1 || fn === sn) { // 4b
      r = hashChildren(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2); // 4c
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && same(r, root); // step 5
}

/**
 * RFC 9162 §2.1.4.2: is the tree of `size2` leaves with root `root2` an append-only extension of
 * the tree of `size1` leaves with root `root1`, as `path` proves?
 */
export function verifyConsistency(size1: number, size2: number, root1: Uint8Array, root2: Uint8Array, path: readonly Uint8Array[]): boolean {
  if (!(Number.isInteger(size1) && Number.isInteger(size2)) || size1 < 0 || size2 < size1) return false;
  if (size1 === size2) return path.length === 0 && same(root1, root2);
  // Every tree extends the empty tree; there is nothing to prove.
  if (size1 === 0) return path.length === 0;
  if (path.length === 0) return false; // step 1
  if (path.some((p) => p.length !== HASH_SIZE) || root1.length !== HASH_SIZE || root2.length !== HASH_SIZE) return false;
  const proof: readonly Uint8Array[] = isPowerOfTwo(size1) ? [root1, ...path] : path; // step 2
  let fn = size1 - 1; // step 3
  let sn = size2 - 1;
  while (fn % 2 === 1) { // step 4
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(proof[0]!); // step 5
  let sr: Buffer = Buffer.from(proof[0]!);
  for (const c of proof.slice(1)) { // step 6
    if (sn === 0) return false; // 6a
    if (fn % 2 === 1 || fn === sn) { // 6b
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2); // 6c
    sn = Math.floor(sn / 2);
  }
  return same(fr, root1) && same(sr, root2) && sn === 0; // step 7
}

/**
 * Builds a tree leaf by leaf in O(log n) memory: the frontier holds the roots of the perfect
 * subtrees along the right edge (at most one per level). Each completed subtree is reported to
 * `onNode`, which is how appends know which nodes to store and how verification compares them.
 */
export class TreeBuilder {
  /** frontier[L] is the root of the pending perfect subtree of 2^L leaves, if any. */
  readonly #frontier: (Buffer | undefined)[] = [];
  #size = 0;

  constructor(private readonly onNode?: (level: number, index: number, hash: Buffer) => void) {}

  get size(): number {
    return this.#size;
  }

  push(leafHash: Buffer): void {
    let h = leafHash;
    let index = this.#size;
    let level = 0;
    // Carrying like a binary counter: each trailing one bit of the index completes a subtree.
    while (index % 2 === 1) {
      h = hashChildren(this.#frontier[level]!, h);
      this.#frontier[level] = undefined;
      level++;
      index = Math.floor(index / 2);
      this.onNode?.(level, index, h);
    }
    this.#frontier[level] = h;
    this.#size++;
  }

  /** MTH of the leaves pushed so far. */
  root(): Buffer {
    let r: Buffer | undefined;
    for (const h of this.#frontier) if (h) r = r ? hashChildren(h, r) : h;
    return r ?? EMPTY_ROOT;
  }
}

/** MTH of a list of leaf hashes held in memory (small trees, tests). */
export function rootOf(leafHashes: readonly Buffer[]): Buffer {
  const t = new TreeBuilder();
  for (const h of leafHashes) t.push(h);
  return t.root();
}

/** Every perfect subtree of a tree held in memory, for NodeLookup (small trees, tests). */
export function memoryTree(leafHashes: readonly Buffer[]): NodeLookup {
  const levels: Buffer[][] = [[...leafHashes]];
  const t = new TreeBuilder((level, index, hash) => {
    (levels[level] ??= [])[index] = hash;
  });
  for (const h of leafHashes) t.push(h);
  return (level, index) => {
    const h = levels[level]?.[index];
    if (!h) throw new RangeError(`no node ${level}/${index}`);
    return h;
  };
}
