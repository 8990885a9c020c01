// A witness in the browser: checks a checkpoint someone kept against the live log without taking
// the server's word for it. The signature (c2sp.org/signed-note, Ed25519) is checked with
// WebCrypto, and the consistency proof (RFC 9162 §2.1.4.2) is recomputed here with SHA-256; the
// server only supplies the proof's hashes and its latest checkpoint, which is checked the same way.

export interface WitnessCheckpoint {
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
}

export type WitnessVerdict =
  | { kind: 'ok'; from: number; to: number }
  | { kind: 'malformed' | 'bad signature' | 'truncated' | 'inconsistent'; detail: string };

const enc = new TextEncoder();

function b64(s: string): Uint8Array {
  const bin = atob(s);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

const node = (l: Uint8Array, r: Uint8Array): Promise<Uint8Array> => sha256(Uint8Array.of(1), l, r);

/** Checks the note's Ed25519 signature by the key "<name>+<id>+<base64(0x01||key)>" and reads the checkpoint. */
export async function openCheckpoint(note: string, verifierKey: string): Promise<{ ok: true; checkpoint: WitnessCheckpoint } | { ok: false; kind: 'malformed' | 'bad signature'; detail: string }> {
  const vk = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(verifierKey.trim());
  if (!vk) return { ok: false, kind: 'malformed', detail: 'the verifier key is not "<name>+<id>+<key>"' };
  const raw = b64(vk[3]!);
  if (raw.length !== 33 || raw[0] !== 1) return { ok: false, kind: 'malformed', detail: 'the verifier key is not an Ed25519 key' };
  const text = note.replace(/\r\n/g, '\n');
  const normalised = text.endsWith('\n') ? text : `${text}\n`;
  const split = normalised.lastIndexOf('\n\n');
  if (split < 0) return { ok: false, kind: 'malformed', detail: 'no blank line between the checkpoint and its signature' };
  const body = normalised.slice(0, split + 1);
  const sigs = normalised.slice(split + 2, -1).split('\n');
  let checked = false;
  for (const line of sigs) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/.exec(line);
    if (!m) return { ok: false, kind: 'malformed', detail: 'a signature line is not "— <name> <base64>"' };
    const blob = b64(m[2]!);
    const id = Array.from(blob.slice(0, 4), (x) => x.toString(16).padStart(2, '0')).join('');
    if (m[1] !== vk[1] || id !== vk[2]) continue;
    const key = await crypto.subtle.importKey('raw', raw.slice(1), { name: 'Ed25519' }, false, ['verify']);
    if (blob.length !== 68 || !(await crypto.subtle.verify({ name: 'Ed25519' }, key, blob.slice(4), enc.encode(body)))) {
      return { ok: false, kind: 'bad signature', detail: 'the signature does not match the text' };
    }
    checked = true;
  }
  if (!checked) return { ok: false, kind: 'bad signature', detail: `not signed by ${vk[1]}+${vk[2]}` };
  const [origin, size, root, ...rest] = body.split('\n');
  if (!origin || !size || !root || rest.at(-1) !== '' || !/^\d{1,16}$/.test(size)) return { ok: false, kind: 'malformed', detail: 'not a checkpoint (origin, size, root hash)' };
  if (origin !== vk[1]) return { ok: false, kind: 'bad signature', detail: `the checkpoint is for "${origin}", the key signs "${vk[1]}"` };
  const rootHash = b64(root);
  if (rootHash.length !== 32) return { ok: false, kind: 'malformed', detail: 'the root hash is not 32 bytes' };
  return { ok: true, checkpoint: { origin, treeSize: Number(size), rootHash } };
}

/** RFC 9162 §2.1.4.2, step by step. */
export async function verifyConsistency(size1: number, size2: number, root1: Uint8Array, root2: Uint8Array, path: Uint8Array[]): Promise<boolean> {
  if (size1 === size2) return path.length === 0 && same(root1, root2);
  if (size1 === 0) return path.length === 0;
  if (size1 > size2 || path.length === 0) return false;
  const proof = (size1 & (size1 - 1)) === 0 ? [root1, ...path] : path;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = proof[0]!;
  let sr = proof[0]!;
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await node(c, fr);
      sr = await node(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = await node(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return same(fr, root1) && same(sr, root2) && sn === 0;
}

/**
 * The whole check: the kept checkpoint's signature, the live checkpoint's signature, and the proof
 * that the live log extends the kept one. `proof` fetches the consistency path (base64 hashes).
 */
export async function witnessCheck(kept: string, live: string, verifierKey: string, proof: (from: number, to: number) => Promise<string[]>): Promise<WitnessVerdict> {
  const a = await openCheckpoint(kept, verifierKey);
  if (!a.ok) return { kind: a.kind, detail: a.detail };
  const b = await openCheckpoint(live, verifierKey);
  if (!b.ok) return { kind: 'bad signature', detail: `the server's own checkpoint does not verify with this key: ${b.detail}` };
  const old = a.checkpoint;
  const now = b.checkpoint;
  if (old.treeSize > now.treeSize) return { kind: 'truncated', detail: `your checkpoint covers ${old.treeSize} entries; the live log has ${now.treeSize}` };
  const path = old.treeSize > 0 && old.treeSize < now.treeSize ? (await proof(old.treeSize, now.treeSize)).map(b64) : [];
  if (!(await verifyConsistency(old.treeSize, now.treeSize, old.rootHash, now.rootHash, path))) {
    return { kind: 'inconsistent', detail: `the live log of ${now.treeSize} entries does not extend your checkpoint of ${old.treeSize}: it was rewritten, or the log shows different histories to different parties` };
  }
  return { kind: 'ok', from: old.treeSize, to: now.treeSize };
}
