// The deployment's secrets on disk (CALLSHIELD_SECRET_FILE), outside the database they protect, so
// a copy of the database alone neither reverses hashed subscriber numbers nor opens the sealed
// STIR signing keys. The format is one small JSON object:
//
//   {"version": 1, "hash": "<base64url of 32 random bytes>", "kek": "<base64url of 32 random bytes>"}
//
// `hash` keys the HMAC of subscriber identifiers (used as its text, as the database's
// `hash_secret` was); `kek` is the AES-256-GCM key that seals carriers' signing keys. Every node of
// a cluster mounts the same file.
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CallshieldError } from '../errors.js';

export interface DeploymentSecrets {
  /** Key of the subscriber-identifier HMAC (its text is the key, as before the move). */
  readonly hash: string;
  /** Key-encryption key of the STIR signing keys, 32 bytes. */
  readonly kek: Buffer;
}

const FIELD = 'CALLSHIELD_SECRET_FILE';

function invalid(message: string, cause?: unknown): CallshieldError {
  return new CallshieldError('CONFIG_INVALID', message, { field: FIELD, ...(cause === undefined ? {} : { cause }) });
}

export function generateSecrets(): DeploymentSecrets {
  return { hash: randomBytes(32).toString('base64url'), kek: randomBytes(32) };
}

export function serialiseSecrets(secrets: DeploymentSecrets): string {
  return `${JSON.stringify({ version: 1, hash: secrets.hash, kek: secrets.kek.toString('base64url') })}\n`;
}

export function parseSecrets(text: string, path: string): DeploymentSecrets {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw invalid(`${FIELD} ${path} is not a callshield secret file (not JSON)`, cause);
  }
  const o = raw as { version?: unknown; hash?: unknown; kek?: unknown };
  if (typeof o !== 'object' || o === null || o.version !== 1 || typeof o.hash !== 'string' || typeof o.kek !== 'string') {
    throw invalid(`${FIELD} ${path} is not a callshield secret file (want {"version": 1, "hash": "...", "kek": "..."})`);
  }
  const kek = Buffer.from(o.kek, 'base64url');
  if (o.hash.length < 16 || kek.length !== 32) {
    throw invalid(`${FIELD} ${path} holds keys of the wrong size (hash at least 16 characters, kek 32 bytes)`);
  }
  return { hash: o.hash, kek };
}

/** The secrets in the file, or undefined when there is no file. */
export function readSecretFile(path: string): DeploymentSecrets | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw invalid(`${FIELD} ${path} cannot be read`, err);
  }
  return parseSecrets(text, path);
}

/** Whether group or others may read the file (worth a warning: it should be 0600). */
export function secretFileIsShared(path: string): boolean {
  try {
    return (statSync(path).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}

/**
 * Writes a new secret file with mode 0600, never replacing one: the content goes to a temporary
 * file first and is then hard-linked into place, which fails if the name exists. So a server and
 * a CLI command starting together never see half a file, and never both win. Returns false when
 * the file already existed (read it instead).
 */
export function createSecretFile(path: string, secrets: DeploymentSecrets): boolean {
  const dir = dirname(path);
  const tmp = join(dir, `.callshield.secret.${process.pid}.${randomUUID()}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(tmp, serialiseSecrets(secrets), { mode: 0o600, flag: 'wx' });
    chmodSync(tmp, 0o600); // whatever the umask
  } catch (err) {
    throw invalid(`${FIELD} ${path} cannot be written`, err);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw invalid(`${FIELD} ${path} cannot be written`, err);
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
}
