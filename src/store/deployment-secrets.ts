// Loads the deployment's secrets from CALLSHIELD_SECRET_FILE at start-up, moving them out of the
// database where older versions kept them (meta `hash_secret` and `stir_key_secret`). The database
// keeps only a check value (an HMAC of a fixed text under each key), so a wrong or missing file is
// refused instead of silently re-keying every stored hash.
import { createHmac, createPrivateKey, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { CallshieldError } from '../errors.js';
import type { Engine } from './open-database.js';
import type { Database } from './schema.js';
import { createSecretFile, generateSecrets, readSecretFile, secretFileIsShared } from './secret-file.js';
import type { DeploymentSecrets } from './secret-file.js';

export type { DeploymentSecrets } from './secret-file.js';

/** Where versions before the secret file kept the secrets (read once, to move them, then deleted). */
export const LEGACY_HASH_SECRET = 'hash_secret';
export const LEGACY_KEK = 'stir_key_secret';
/** The check value of the secrets in use (meta). */
export const SECRET_CHECK = 'secret_check';

const FIELD = 'CALLSHIELD_SECRET_FILE';

function invalid(message: string): CallshieldError {
  return new CallshieldError('CONFIG_INVALID', message, { field: FIELD });
}

/** What the database keeps about the secrets: enough to tell the right file from a wrong one, nothing more. */
export function secretCheck(secrets: DeploymentSecrets): string {
  const tag = (key: string | Buffer, what: string): string => createHmac('sha256', key).update(`callshield secret check v1: ${what}`).digest('base64url');
  return `v1.${tag(secrets.hash, 'hash')}.${tag(secrets.kek, 'kek')}`;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function readMeta(db: Kysely<Database>, keys: string[]): Promise<Map<string, string>> {
  const rows = await db.selectFrom('meta').select(['key', 'value']).where('key', 'in', keys).execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

export interface SecretOptions {
  /** CALLSHIELD_SECRET_FILE (config.secretFile). */
  readonly secretFile: string | undefined;
  readonly engine: Engine;
  readonly logger: Logger;
}

/**
 * The secrets of this deployment: from the secret file (created on first start), moved there
 * from the database on the first start of this version, and checked against the database.
 */
export async function loadDeploymentSecrets(db: Kysely<Database>, options: SecretOptions): Promise<DeploymentSecrets> {
  const { secretFile: path, engine, logger } = options;
  const meta = await readMeta(db, [LEGACY_HASH_SECRET, LEGACY_KEK, SECRET_CHECK]);
  const legacyHash = meta.get(LEGACY_HASH_SECRET);
  const legacyKek = meta.get(LEGACY_KEK);
  const storedCheck = meta.get(SECRET_CHECK);

  if (path === undefined) {
    if (engine === 'postgres') {
      throw invalid(`${FIELD} is required with PostgreSQL (DATABASE_URL): name a file that holds the deployment's secrets (created on first start if missing; every node mounts the same file)`);
    }
    // An in-memory SQLite store: nothing outlives the process, so neither need the secrets.
    if (legacyHash !== undefined || storedCheck !== undefined) throw invalid(`${FIELD} is not set and this store needs its secret file`);
    return generateSecrets();
  }

  let secrets = readSecretFile(path);

  if (legacyHash !== undefined || legacyKek !== undefined) {
    // First start of this version on a database that holds its own secrets: move them out.
    const moved: DeploymentSecrets = {
      hash: legacyHash ?? secrets?.hash ?? generateSecrets().hash,
      kek: legacyKek !== undefined ? Buffer.from(legacyKek, 'base64url') : (secrets?.kek ?? generateSecrets().kek),
    };
    if (secrets === undefined) {
      if (!createSecretFile(path, moved)) secrets = readSecretFile(path); // another process wrote it meanwhile
      else secrets = moved;
    }
    if (secrets === undefined || !sameText(secretCheck(secrets), secretCheck(moved))) {
      throw invalid(
        `${FIELD} ${path} already exists and holds other secrets than this database; refusing to overwrite it. ` +
          'Move that file away (or point CALLSHIELD_SECRET_FILE elsewhere) and start again to move the database\'s secrets out.',
      );
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('meta').values({ key: SECRET_CHECK, value: secretCheck(moved) }).onConflict((oc) => oc.column('key').doUpdateSet({ value: secretCheck(moved) })).execute();
      await trx.deleteFrom('meta').where('key', 'in', [LEGACY_HASH_SECRET, LEGACY_KEK]).execute();
    });
    logger.warn({ secretFile: path }, 'moved the hash secret and the STIR key-encryption key out of the database into the secret file; back that file up');
    warnIfShared(path, logger);
    return moved;
  }

  if (storedCheck !== undefined) {
    if (secrets === undefined) {
      throw invalid(`${FIELD} ${path} does not exist, but this database's hashes and sealed keys were made with a secret file: restore it (or point CALLSHIELD_SECRET_FILE at it)`);
    }
    if (!sameText(secretCheck(secrets), storedCheck)) {
      throw invalid(`${FIELD} ${path} holds other secrets than the ones this database was made with: refusing to start (it would re-key every stored hash)`);
    }
    warnIfShared(path, logger);
    return secrets;
  }

  // A fresh database: use the file if one is there (a second node, or one provisioned ahead), else make it.
  if (secrets === undefined) {
    const fresh = generateSecrets();
    secrets = createSecretFile(path, fresh) ? fresh : readSecretFile(path);
    if (secrets === undefined) throw invalid(`${FIELD} ${path} vanished while starting`);
    if (secrets === fresh) logger.info({ secretFile: path }, 'created the secret file (mode 0600); back it up: without it stored hashes cannot be matched');
  }
  const check = secretCheck(secrets);
  await db.insertInto('meta').values({ key: SECRET_CHECK, value: check }).onConflict((oc) => oc.column('key').doNothing()).execute();
  // Two nodes starting on one fresh database with different files: the first one's check wins.
  const [row] = await db.selectFrom('meta').select('value').where('key', '=', SECRET_CHECK).execute();
  if (!row || !sameText(row.value, check)) {
    throw invalid(`${FIELD} ${path} holds other secrets than the ones this database was made with: every node must mount the same secret file`);
  }
  warnIfShared(path, logger);
  return secrets;
}

function warnIfShared(path: string, logger: Logger): void {
  if (secretFileIsShared(path)) logger.warn({ secretFile: path }, 'the secret file is readable by group or others; make it 0600');
}

/**
 * The Ed25519 key that signs block-list manifests (GET /v1/blocklist/manifest), derived with HKDF
 * from the secret file's hash key: it lives in the secret file without changing its format, every
 * node of a cluster derives the same key, and replacing the file replaces the key.
 */
export function listSigningKey(hashSecret: string): KeyObject {
  const seed = Buffer.from(hkdfSync('sha256', hashSecret, 'callshield', 'block-list manifest signing key v1', 32));
  // PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410).
  return createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
}
