// The key that signs the audit log's checkpoints lives in a file, never in the database: whoever
// can rewrite the database must not also be able to sign a rewritten history (docs/audit.md).
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Config } from '../../config.js';
import { CallshieldError } from '../../errors.js';
import { generateKeyPem, noteSigner, parsePrivateKey, rawPublicKey, verifierKeyString } from '../../audit/index.js';
import type { NoteSigner } from '../../audit/index.js';

export interface AuditKey extends NoteSigner {
  /** "<name>+<key ID>+<base64 key>": what witnesses keep to check checkpoints. */
  readonly verifierKey: string;
  /** Where it was read from (undefined for the throwaway key of an in-memory database). */
  readonly file: string | undefined;
}

/** Where the key is: the configured file, else beside the SQLite file; none for PostgreSQL. */
export function auditKeyPath(config: Config): string | undefined {
  if (config.auditKeyFile) return config.auditKeyFile;
  if (config.databaseUrl || config.dbPath === ':memory:') return undefined;
  return `${config.dbPath}.audit-key.pem`;
}

/** The default origin names the log by its key, so two deployments never share one by accident. */
function defaultOrigin(publicKey: Buffer): string {
  return `callshield.audit/${createHash('sha256').update(publicKey).digest('hex').slice(0, 12)}`;
}

function asAuditKey(config: Config, pem: string, file: string | undefined): AuditKey {
  let key;
  try {
    key = parsePrivateKey(pem);
  } catch (err) {
    throw new CallshieldError('CONFIG_INVALID', `${file ?? 'the audit key'} is not an Ed25519 private key (PKCS#8 PEM): ${(err as Error).message}`, {
      field: 'CALLSHIELD_AUDIT_KEY_FILE',
      cause: err,
    });
  }
  const signer = noteSigner(config.auditOrigin ?? defaultOrigin(rawPublicKey(key)), key);
  return { ...signer, verifierKey: verifierKeyString(signer), file };
}

/**
 * Loads the audit key. With `create` (the embedded default's first start) a missing file beside
 * the SQLite database, or at the configured path, is generated with mode 0600. PostgreSQL never
 * generates one: several nodes would each invent their own. Returns undefined when there is none.
 */
export function loadAuditKey(config: Config, options: { create: boolean }): AuditKey | undefined {
  const file = auditKeyPath(config);
  if (!file) {
    if (config.databaseUrl || !options.create) return undefined;
    // An in-memory database lives as long as the process; so does its key.
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    return asAuditKey(config, pem, undefined);
  }
  if (!existsSync(file)) {
    if (config.databaseUrl || !options.create) return undefined;
    try {
      // 'wx' fails if another process created it in the meantime; then read theirs below.
      writeFileSync(file, generateKeyPem(), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new CallshieldError('CONFIG_INVALID', `cannot create the audit key ${file}: ${(err as Error).message}`, { field: 'CALLSHIELD_AUDIT_KEY_FILE', cause: err });
      }
    }
  }
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CallshieldError('CONFIG_INVALID', `cannot read the audit key ${file}: ${(err as Error).message}`, { field: 'CALLSHIELD_AUDIT_KEY_FILE', cause: err });
  }
  return asAuditKey(config, pem, file);
}

/** The error a command or `serve` gives when it needs the key and there is none. */
export function missingAuditKey(config: Config): CallshieldError {
  const file = auditKeyPath(config);
  const how = 'create one with `callshield audit keygen FILE` (or `openssl genpkey -algorithm ed25519 -out FILE`), chmod 600, and set CALLSHIELD_AUDIT_KEY_FILE';
  return new CallshieldError(
    'CONFIG_INVALID',
    config.databaseUrl
      ? `CALLSHIELD_AUDIT_KEY_FILE is required with PostgreSQL (${file ? `${file} does not exist` : 'it is not set'}): every node signs the audit log's checkpoints with the same key; ${how}`
      : `no audit signing key (${file ?? 'none configured'}): ${how}`,
    { field: 'CALLSHIELD_AUDIT_KEY_FILE' },
  );
}
