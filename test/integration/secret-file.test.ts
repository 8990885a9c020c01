// The deployment's secrets (the subscriber-hash key and the STIR key-encryption key) live in
// CALLSHIELD_SECRET_FILE, not in the database: created 0600 beside the SQLite file on first start,
// moved out of databases made by earlier versions, checked against the database on every start,
// and required with PostgreSQL.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator } from 'kysely';
import type { Migration } from 'kysely';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import type { ConfigOverrides } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import type { AppContext } from '../../src/app-context.js';
import { hashIdentifier } from '../../src/identity/index.js';
import { openSigningKey, sealSigningKey } from '../../src/operations/stir/key-vault.js';
import { MIGRATIONS, migrateToLatest } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { generateSecrets, serialiseSecrets } from '../../src/store/secret-file.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'callshield-secret-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => mkdtempSync(join(root, `d${n++}-`));
const NUMBER = '+8613800138000';

function open(overrides: ConfigOverrides): Promise<AppContext> {
  return openApp(loadConfig({}, { logLevel: 'silent', ...overrides }), { logger: pino({ level: 'silent' }) });
}

async function metaRows(dbPath: string): Promise<Map<string, string>> {
  const { db } = openDatabase({ dbPath });
  try {
    return new Map((await db.selectFrom('meta').select(['key', 'value']).execute()).map((r) => [r.key, r.value]));
  } finally {
    await db.destroy();
  }
}

/** A database as the version before the secret file left it: secrets in meta, a sealed key under them. */
async function legacyDatabase(dbPath: string): Promise<{ hash: string; kek: string }> {
  const { db } = openDatabase({ dbPath });
  try {
    const before = Object.keys(MIGRATIONS).sort().filter((name) => name < '0013');
    const provider = { getMigrations: async () => Object.fromEntries(before.map((name) => [name, MIGRATIONS[name] as Migration])) };
    const { error } = await new Migrator({ db, provider }).migrateToLatest();
    assert.equal(error, undefined);
    const legacy = { hash: 'legacy-hash-secret-0123456789abcdefghijklmnopq', kek: Buffer.alloc(32, 7).toString('base64url') };
    await db.insertInto('meta').values([{ key: 'hash_secret', value: legacy.hash }, { key: 'stir_key_secret', value: legacy.kek }]).execute();
    return legacy;
  } finally {
    await db.destroy();
  }
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const base: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const k of ['CALLSHIELD_DB', 'DATABASE_URL', 'CALLSHIELD_SECRET_FILE', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT']) if (!(k in env)) delete base[k];
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/callshield.js', ...args], { cwd: ROOT, env: base, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

describe('secret file (CALLSHIELD_SECRET_FILE)', () => {
  it('a fresh SQLite start creates callshield.secret beside the database, mode 0600, and keeps no secret in the database', async () => {
    const dir = freshDir();
    const dbPath = join(dir, 'callshield.db');
    const ctx = await open({ dbPath });
    const file = join(dir, 'callshield.secret');
    let hash: string;
    try {
      assert.equal(ctx.config.secretFile, file);
      hash = ctx.hash(NUMBER);
    } finally {
      await ctx.close();
    }
    assert.ok(existsSync(file));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const content = JSON.parse(readFileSync(file, 'utf8')) as { version: number; hash: string; kek: string };
    assert.equal(content.version, 1);
    assert.equal(Buffer.from(content.kek, 'base64url').length, 32);
    assert.equal(hashIdentifier(content.hash, NUMBER), hash, 'the file holds the key of the stored hashes');
    const meta = await metaRows(dbPath);
    assert.ok(!meta.has('hash_secret') && !meta.has('stir_key_secret'));
    assert.ok(meta.has('secret_check'));
    for (const value of meta.values()) {
      assert.ok(!value.includes(content.hash) && !value.includes(content.kek), 'no meta row holds a secret');
    }
  });

  it('hashes and sealed keys are stable across restarts', async () => {
    const dir = freshDir();
    const dbPath = join(dir, 'callshield.db');
    const first = await open({ dbPath });
    const pem = '-----BEGIN PRIVATE KEY-----\nnot really a key\n-----END PRIVATE KEY-----\n';
    let hash: string;
    let sealed: string;
    try {
      hash = first.hash(NUMBER);
      sealed = await sealSigningKey(first, pem, 'org-1', '1234');
    } finally {
      await first.close();
    }
    const second = await open({ dbPath });
    try {
      assert.equal(second.hash(NUMBER), hash);
      assert.equal(await openSigningKey(second, sealed, 'org-1', '1234'), pem);
    } finally {
      await second.close();
    }
  });

  it('two processes starting at once on a fresh database agree on one secret file', async () => {
    const dir = freshDir();
    const dbPath = join(dir, 'callshield.db');
    // Schema first (two processes migrating one fresh SQLite file at once is another matter).
    const { db } = openDatabase({ dbPath });
    await migrateToLatest(db);
    await db.destroy();
    const [a, b] = await Promise.all([open({ dbPath }), open({ dbPath })]);
    try {
      assert.equal(a.hash(NUMBER), b.hash(NUMBER));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('moves the secrets of an existing database into the secret file, then deletes them from the database', async () => {
    const dir = freshDir();
    const dbPath = join(dir, 'callshield.db');
    const legacy = await legacyDatabase(dbPath);
    const ctx = await open({ dbPath });
    try {
      assert.equal(ctx.hash(NUMBER), hashIdentifier(legacy.hash, NUMBER), 'the hashes made before the move still match');
      assert.deepEqual(ctx.keyEncryptionKey, Buffer.from(legacy.kek, 'base64url'), 'keys sealed before the move still open');
    } finally {
      await ctx.close();
    }
    const file = join(dir, 'callshield.secret');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { version: 1, hash: legacy.hash, kek: legacy.kek });
    const meta = await metaRows(dbPath);
    assert.ok(!meta.has('hash_secret') && !meta.has('stir_key_secret'), 'a dump made after the move holds no secret');
    for (const value of meta.values()) assert.ok(!value.includes(legacy.hash) && !value.includes(legacy.kek));
    // And the next start reads the file.
    const again = await open({ dbPath });
    try {
      assert.equal(again.hash(NUMBER), hashIdentifier(legacy.hash, NUMBER));
    } finally {
      await again.close();
    }
  });

  it('refuses to overwrite a different existing secret file when moving, and leaves the database as it was', async () => {
    const dir = freshDir();
    const dbPath = join(dir, 'callshield.db');
    const legacy = await legacyDatabase(dbPath);
    const file = join(dir, 'callshield.secret');
    const other = serialiseSecrets(generateSecrets());
    writeFileSync(file, other, { mode: 0o600 });
    await assert.rejects(open({ dbPath }), (err: Error & { code?: string; field?: string }) => {
      assert.equal(err.code, 'CONFIG_INVALID');
      assert.equal(err.field, 'CALLSHIELD_SECRET_FILE');
      assert.match(err.message, /CALLSHIELD_SECRET_FILE .* refusing to overwrite/);
      return true;
    });
    assert.equal(readFileSync(file, 'utf8'), other, 'the existing file is untouched');
    assert.equal((await metaRows(dbPath)).get('hash_secret'), legacy.hash, 'the secrets stay in the database until moved');
  });

  it('refuses a secret file that does not match the database, and a missing one, instead of re-keying every hash', async () => {
    const dir = freshDir();
    const dbPath = join(dir, 'callshield.db');
    const ctx = await open({ dbPath });
    const hash = ctx.hash(NUMBER);
    await ctx.close();
    const file = join(dir, 'callshield.secret');
    const right = readFileSync(file, 'utf8');
    writeFileSync(file, serialiseSecrets(generateSecrets()));
    await assert.rejects(open({ dbPath }), { code: 'CONFIG_INVALID', field: 'CALLSHIELD_SECRET_FILE', message: /other secrets than the ones this database was made with/ });
    rmSync(file);
    await assert.rejects(open({ dbPath }), { code: 'CONFIG_INVALID', field: 'CALLSHIELD_SECRET_FILE', message: /does not exist/ });
    assert.ok(!existsSync(file), 'no new secret is made for a database that had one');
    writeFileSync(file, 'not json');
    await assert.rejects(open({ dbPath }), { code: 'CONFIG_INVALID', field: 'CALLSHIELD_SECRET_FILE' });
    writeFileSync(file, right, { mode: 0o600 });
    const back = await open({ dbPath });
    try {
      assert.equal(back.hash(NUMBER), hash);
    } finally {
      await back.close();
    }
  });

  it('CALLSHIELD_SECRET_FILE names the file; the CLI on the same --db finds the server\'s file', async () => {
    const dir = freshDir();
    const dbPath = join(dir, 'callshield.db');
    const named = join(dir, 'elsewhere', 'deployment.secret');
    const ctx = await open({ dbPath, secretFile: named });
    await ctx.close();
    assert.ok(existsSync(named) && !existsSync(join(dir, 'callshield.secret')));
    assert.equal(loadConfig({ CALLSHIELD_DB: dbPath, CALLSHIELD_SECRET_FILE: named }).secretFile, named);

    // The CLI opened on the server's database, by --db, uses the default file beside it.
    const dir2 = freshDir();
    const db2 = join(dir2, 'callshield.db');
    const server = await open({ dbPath: db2 });
    const before = readFileSync(join(dir2, 'callshield.secret'), 'utf8');
    await server.close();
    const run = await runCli(['keys', 'create', '--org', 'Demo App', '--role', 'app', '--db', db2], {});
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(join(dir2, 'callshield.secret'), 'utf8'), before);
    // Pointed at another file, the CLI refuses rather than re-keying.
    const wrong = join(dir2, 'wrong.secret');
    writeFileSync(wrong, serialiseSecrets(generateSecrets()), { mode: 0o600 });
    const refused = await runCli(['keys', 'create', '--org', 'Demo App 2', '--role', 'app', '--db', db2], { CALLSHIELD_SECRET_FILE: wrong });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /CALLSHIELD_SECRET_FILE/);
  });

  it('with PostgreSQL the secret file is required: a clear start-up error names CALLSHIELD_SECRET_FILE', async (t) => {
    if (!(await postgresAvailable())) return t.skip('no PostgreSQL answers');
    const pg = await createTestDatabase();
    try {
      assert.equal(loadConfig({ DATABASE_URL: pg.url }).secretFile, undefined);
      await assert.rejects(open({ dbPath: ':memory:', databaseUrl: pg.url }), {
        code: 'CONFIG_INVALID',
        field: 'CALLSHIELD_SECRET_FILE',
        message: /CALLSHIELD_SECRET_FILE is required with PostgreSQL/,
      });
      const file = join(freshDir(), 'pg.secret');
      const a = await open({ dbPath: ':memory:', databaseUrl: pg.url, secretFile: file });
      const b = await open({ dbPath: ':memory:', databaseUrl: pg.url, secretFile: file });
      try {
        assert.equal(statSync(file).mode & 0o777, 0o600);
        assert.equal(a.hash(NUMBER), b.hash(NUMBER), 'two nodes mounting one file agree');
      } finally {
        await a.close();
        await b.close();
      }
      // A node with a file of its own is refused.
      const stray = join(freshDir(), 'stray.secret');
      await assert.rejects(open({ dbPath: ':memory:', databaseUrl: pg.url, secretFile: stray }), { code: 'CONFIG_INVALID', field: 'CALLSHIELD_SECRET_FILE' });
    } finally {
      await pg.drop();
    }
  });
});
