// Signed checkpoints in the formats transparency logs share, so that any witness that speaks them
// (Go's golang.org/x/mod/sumdb/note, the transparency-dev witnesses) can check ours:
//
// - c2sp.org/tlog-checkpoint: the note text is "<origin>\n<tree size>\n<base64 root hash>\n",
//   optionally followed by extension lines;
// - c2sp.org/signed-note: the text, a blank line, then one line per signature,
//   "— <key name> <base64(4-byte key ID || Ed25519 signature of the text)>\n".
//
// The key ID is SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4] (signed-note,
// "Ed25519 signatures"); the verifier key is written "<name>+<8 hex key ID>+<base64(0x01 || key)>".
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

const ED25519 = 0x01;
const SIG_PREFIX = '\u2014 ';
const MAX_NOTE = 16_384;

export interface Checkpoint {
  /** Names the log; for us also the signing key's name. */
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Buffer;
  /** Optional lines after the root hash (none written by callshield; kept when read). */
  readonly extensions?: readonly string[];
}

/** An Ed25519 key as a note signer or verifier sees it. */
export interface NoteKey {
  readonly name: string;
  /** 4 bytes. */
  readonly keyId: Buffer;
  /** The raw 32-byte public key. */
  readonly publicKey: Buffer;
}

export interface NoteSigner extends NoteKey {
  readonly privateKey: KeyObject;
}

/** Key names are non-empty and have no Unicode space and no '+' (signed-note, "Format"). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !/[\s+\p{Z}]/u.test(name) && !/[\u0000-\u001f]/.test(name);
}

export function keyIdOf(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256').update(name).update(Buffer.from([0x0a, ED25519])).update(publicKey).digest().subarray(0, 4);
}

export function rawPublicKey(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' }) as { crv?: string; x?: string };
  if (jwk.crv !== 'Ed25519' || !jwk.x) throw new TypeError('the audit key must be an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

export function noteSigner(name: string, privateKey: KeyObject): NoteSigner {
  if (!isValidKeyName(name)) throw new TypeError(`"${name}" cannot be a key name (no spaces, no "+")`);
  const publicKey = rawPublicKey(privateKey);
  return { name, keyId: keyIdOf(name, publicKey), publicKey, privateKey };
}

/** A fresh Ed25519 private key as PKCS#8 PEM (what `openssl genpkey -algorithm ed25519` writes). */
export function generateKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Reads an Ed25519 private key from PEM, or from Go's "PRIVATE+KEY+<name>+<id>+<base64>" form. */
export function parsePrivateKey(text: string): KeyObject {
  const go = /^PRIVATE\+KEY\+[^+\s]+\+[0-9a-f]{8}\+([A-Za-z0-9+/=]+)\s*$/.exec(text.trim());
  if (go) {
    const raw = Buffer.from(go[1]!, 'base64');
    if (raw.length !== 33 || raw[0] !== ED25519) throw new TypeError('not an Ed25519 private key');
    // PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410 §7).
    const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), raw.subarray(1)]);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  }
  const key = createPrivateKey(text);
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`the audit key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}

export function verifierKeyString(key: NoteKey): string {
  return `${key.name}+${key.keyId.toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), key.publicKey]).toString('base64')}`;
}

/** Parses "<name>+<hex id>+<base64(0x01 || key)>"; undefined when it is not one. */
export function parseVerifierKey(text: string): NoteKey | undefined {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(text.trim());
  if (!m) return undefined;
  const raw = Buffer.from(m[3]!, 'base64');
  if (raw.length !== 33 || raw[0] !== ED25519) return undefined;
  const name = m[1]!;
  const publicKey = raw.subarray(1);
  const keyId = Buffer.from(m[2]!, 'hex');
  // The ID is part of the string only to find the key quickly; a mismatch means a corrupted string.
  if (!keyId.equals(keyIdOf(name, publicKey)) || !isValidKeyName(name)) return undefined;
  return { name, keyId, publicKey };
}

export function checkpointText(cp: Checkpoint): string {
  if (!isValidKeyName(cp.origin)) throw new TypeError(`"${cp.origin}" cannot be an origin`);
  const ext = (cp.extensions ?? []).map((l) => `${l}\n`).join('');
  return `${cp.origin}\n${cp.treeSize}\n${cp.rootHash.toString('base64')}\n${ext}`;
}

export function signNote(text: string, signer: NoteSigner): string {
  const sig = sign(null, Buffer.from(text, 'utf8'), signer.privateKey);
  return `${text}\n${SIG_PREFIX}${signer.name} ${Buffer.concat([signer.keyId, sig]).toString('base64')}\n`;
}

export function signCheckpoint(cp: Checkpoint, signer: NoteSigner): string {
  return signNote(checkpointText(cp), signer);
}

export type NoteProblem = 'malformed' | 'unknown key' | 'bad signature';

export type OpenedNote = { ok: true; text: string } | { ok: false; problem: NoteProblem; detail: string };

/**
 * Checks a signed note against one trusted key (signed-note, "Signatures"): signatures by other
 * keys are ignored, one by this key must verify, and at least one must be present.
 */
export function openNote(note: string, key: NoteKey): OpenedNote {
  if (note.length > MAX_NOTE) return { ok: false, problem: 'malformed', detail: 'the note is longer than 16 KiB' };
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) return { ok: false, problem: 'malformed', detail: 'the note has control characters' };
  if (!note.endsWith('\n')) return { ok: false, problem: 'malformed', detail: 'the note does not end in a newline' };
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return { ok: false, problem: 'malformed', detail: 'no blank line between the text and the signatures' };
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  let ours = 0;
  for (const line of lines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/.exec(line);
    if (!m) return { ok: false, problem: 'malformed', detail: `not a signature line: "${line.slice(0, 80)}"` };
    const blob = Buffer.from(m[2]!, 'base64');
    if (blob.length < 5) return { ok: false, problem: 'malformed', detail: 'a signature is too short' };
    if (m[1] !== key.name || !blob.subarray(0, 4).equals(key.keyId)) continue;
    ours++;
    const pub = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.publicKey.toString('base64url') }, format: 'jwk' });
    if (blob.length !== 68 || !verify(null, Buffer.from(text, 'utf8'), pub, blob.subarray(4))) {
      return { ok: false, problem: 'bad signature', detail: `the signature of ${key.name} does not match the text` };
    }
  }
  if (ours === 0) {
    const names = lines.map((l) => l.split(' ')[1]).join(', ');
    return { ok: false, problem: 'unknown key', detail: `not signed by ${key.name}+${key.keyId.toString('hex')} (signed by ${names})` };
  }
  return { ok: true, text };
}

export type ParsedCheckpoint = { ok: true; checkpoint: Checkpoint } | { ok: false; detail: string };

/** Reads the checkpoint body (c2sp.org/tlog-checkpoint), whether or not it was verified. */
export function parseCheckpointText(text: string): ParsedCheckpoint {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') return { ok: false, detail: 'a checkpoint has an origin, a size and a root hash line' };
  const [origin, size, root] = lines as [string, string, string];
  if (!isValidKeyName(origin)) return { ok: false, detail: 'the origin line is not valid' };
  if (!/^(0|[1-9]\d{0,15})$/.test(size) || !Number.isSafeInteger(Number(size))) return { ok: false, detail: 'the tree size is not a decimal number' };
  const rootHash = Buffer.from(root, 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== root) return { ok: false, detail: 'the root hash is not 32 bytes of base64' };
  const extensions = lines.slice(3, -1);
  if (extensions.some((l) => l === '')) return { ok: false, detail: 'extension lines may not be empty' };
  return { ok: true, checkpoint: { origin, treeSize: Number(size), rootHash, ...(extensions.length ? { extensions } : {}) } };
}

export type CheckedCheckpoint = { ok: true; checkpoint: Checkpoint } | { ok: false; problem: NoteProblem; detail: string };

/** Verifies a signed checkpoint with the log's key: signature first, then the body and its origin. */
export function verifyCheckpoint(note: string, key: NoteKey): CheckedCheckpoint {
  const opened = openNote(note, key);
  if (!opened.ok) return opened;
  const parsed = parseCheckpointText(opened.text);
  if (!parsed.ok) return { ok: false, problem: 'malformed', detail: parsed.detail };
  if (parsed.checkpoint.origin !== key.name) {
    return { ok: false, problem: 'bad signature', detail: `the checkpoint is for "${parsed.checkpoint.origin}", the key signs "${key.name}"` };
  }
  return { ok: true, checkpoint: parsed.checkpoint };
}
