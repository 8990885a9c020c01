// The attacks an operator with database access could try on the audit log, each run for real:
// entries written through the application, the database then edited directly (SQL, as with the
// sqlite3 shell or psql), and the real `callshield audit verify --checkpoint` run against it with
// a checkpoint a witness kept. On SQLite, or on PostgreSQL with CALLSHIELD_TEST_ENGINE=postgres.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { GENESIS_HASH, TreeBuilder, entryBytes, generateKeyPem, hashLeaf, noteSigner, parseCheckpointText, signCheckpoint } from '../../src/audit/index.js';
import { openApp } from '../../src/app-context.js';
import type { AppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config.js';
import type { Config } from '../../src/config.js';
import { inTransaction } from '../../src/operations/write.js';
import type { Database } from '../../src/store/schema.js';
import { STORED_LEVEL } from '../../src/store/audit/log.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { runCli } from '../helpers/run-cli.js';

const onPostgres = process.env.CALLSHIELD_TEST_ENGINE === 'postgres';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A fresh log: its config, the environment the CLI needs to open it, and cleanup. */
interface Log {
  dir: string;
  config: Config;
  env: Record<string, string>;
  /** --db for SQLite; PostgreSQL goes through DATABASE_URL. */
  dbArgs: string[];
  drop(): Promise<void>;
}

async function freshLog(): Promise<Log> {
  const dir = mkdtempSync(join(tmpdir(), 'callshield-audit-attack-'));
  if (onPostgres) {
    const pg = await createTestDatabase();
    const keyFile = join(dir, 'audit-key.pem');
    writeFileSync(keyFile, generateKeyPem(), { mode: 0o600 });
    return {
      dir,
      config: loadConfig({}, { dbPath: ':memory:', databaseUrl: pg.url, auditKeyFile: keyFile, secretFile: join(dir, 'callshield.secret'), logLevel: 'silent' }),
      env: { DATABASE_URL: pg.url, CALLSHIELD_AUDIT_KEY_FILE: keyFile, CALLSHIELD_SECRET_FILE: join(dir, 'callshield.secret') },
      dbArgs: [],
      drop: async () => (await pg.drop(), rmSync(dir, { recursive: true, force: true })),
    };
  }
  const dbPath = join(dir, 'callshield.db');
  return { dir, config: loadConfig({}, { dbPath, logLevel: 'silent' }), env: {}, dbArgs: ['--db', dbPath], drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

const cli = (log: Log, args: string[]): Promise<Run> => runCli([...args, ...log.dbArgs], { ...log.env, LOG_LEVEL: 'warn' });

async function open(log: Log): Promise<AppContext> {
  return openApp(log.config, { logger: pino({ level: 'silent' }), skipIndex: true });
}

/** Appends entries through the application's own write path, one transaction each. */
async function write(ctx: AppContext, n: number, label: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    await inTransaction(ctx, ({ audit }) => audit({ actor: 'City Police (police)', action: 'freeze.file', subject: `freeze:${label}-${i}`, details: { amount: 1000 + i, accounts: [{ account: `62220${i}`, bank: 'First Bank' }] } }));
  }
}

/**
 * A forger who knows the format: after editing rows, recompute every chain hash, every leaf hash
 * and the whole stored tree, so that the database is consistent in itself.
 */
async function recomputeEverything(db: Kysely<Database>): Promise<void> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  await db.deleteFrom('audit_nodes').execute();
  const nodes: { level: number; idx: number; hash: Buffer }[] = [];
  const tree = new TreeBuilder((level, idx, hash) => {
    if (level >= STORED_LEVEL) nodes.push({ level, idx, hash });
  });
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const e = { seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: r.details, prevHash: prev };
    const bytes = entryBytes(e);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const leafHash = hashLeaf(bytes);
    await db.updateTable('audit_log').set({ prev_hash: prev, hash, leaf_hash: leafHash }).where('seq', '=', e.seq).execute();
    tree.push(leafHash);
    prev = hash;
  }
  for (let i = 0; i < nodes.length; i += 200) await db.insertInto('audit_nodes').values(nodes.slice(i, i + 200)).execute();
}

describe(`audit log attacks, caught by \`audit verify --checkpoint\` (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let log: Log;
  let checkpointFile: string;
  let ctx: AppContext;

  // Each attack starts from the same honest log: 21 entries, a witness's checkpoint at 21, then 4
  // more entries written after the checkpoint.
  async function honestLog(): Promise<void> {
    log = await freshLog();
    ctx = await open(log);
    await write(ctx, 21, 'before');
    await ctx.close();
    checkpointFile = join(log.dir, 'witness-checkpoint.txt');
    const taken = await cli(log, ['audit', 'checkpoint', '--out', checkpointFile]);
    assert.equal(taken.code, 0, taken.stderr);
    // 21 entries, plus the audit entries of opening nothing: only ours are in the log.
    assert.match(taken.stdout, /checkpoint of 21 entries/);
    ctx = await open(log);
    await write(ctx, 4, 'after');
  }

  before(() => {});
  after(async () => {
    await ctx?.close().catch(() => {});
    await log?.drop();
  });

  async function reset(): Promise<void> {
    await ctx?.close().catch(() => {});
    await log?.drop();
    await honestLog();
  }

  it('an honest log that grew after the checkpoint verifies (exit 0)', async () => {
    await reset();
    await ctx.close();
    const r = await cli(log, ['audit', 'verify', '--checkpoint', checkpointFile]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /audit log ok: 25 entries/);
    assert.match(r.stdout, /extends the given checkpoint of size 21/);
    const json = JSON.parse((await cli(log, ['audit', 'verify', '--checkpoint', checkpointFile, '--json'])).stdout);
    assert.equal(json.ok, true);
    assert.equal(json.treeSize, 25);
    assert.ok(json.consistencyProof > 0);
  });

  it('deleting the newest entries (and their subtrees and checkpoints) is TRUNCATED', async () => {
    await reset();
    const { db } = ctx;
    await db.deleteFrom('audit_log').where('seq', '>', 18).execute();
    // A careful attacker also removes the subtrees and checkpoints that would give it away.
    for (let level = 1; level < 6; level++) await db.deleteFrom('audit_nodes').where('level', '=', level).where('idx', '>=', Math.floor(18 / 2 ** level)).execute();
    await db.deleteFrom('audit_checkpoints').where('tree_size', '>', 18).execute();
    await ctx.close();
    const r = await cli(log, ['audit', 'verify', '--checkpoint', checkpointFile]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^audit log TRUNCATED: the log has 18 entries, but a checkpoint proves it had 21: entries 19-21 were deleted/);
  });

  it('editing one entry and recomputing every later hash (chain, leaves, tree) is REWRITTEN', async () => {
    await reset();
    const { db } = ctx;
    const victim = await db.selectFrom('audit_log').selectAll().where('seq', '=', 7).executeTakeFirstOrThrow();
    await db.updateTable('audit_log').set({ details: victim.details.replace('"amount":1006', '"amount":6') }).where('seq', '=', 7).execute();
    await recomputeEverything(db);
    await ctx.close();
    const r = await cli(log, ['audit', 'verify', '--checkpoint', checkpointFile]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^audit log REWRITTEN: the first 21 entries hash to \S+, not to the checkpoint's \S+/);
    // Without the witness's copy the log's own stored checkpoints tell the same.
    const own = await cli(log, ['audit', 'verify']);
    assert.equal(own.code, 1, own.stdout);
    assert.match(own.stdout, /^audit log REWRITTEN/);
  });

  it('editing one entry and recomputing only the chain is REWRITTEN at that entry', async () => {
    await reset();
    const { db } = ctx;
    const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const details = Number(r.seq) === 9 ? r.details.replace('62220', '99990') : r.details;
      const hash = createHash('sha256').update(entryBytes({ seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, subject: r.subject, details, prevHash: prev })).digest('hex');
      await db.updateTable('audit_log').set({ details, prev_hash: prev, hash }).where('seq', '=', Number(r.seq)).execute();
      prev = hash;
    }
    await ctx.close();
    const r = await cli(log, ['audit', 'verify', '--checkpoint', checkpointFile]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^audit log REWRITTEN at entry 9: its contents do not match its hash \(it was altered\)/);
  });

  it('replacing the whole log with another of the same size, signed with the log key, is FORKED', async () => {
    await reset();
    const { db } = ctx;
    await db.deleteFrom('audit_log').execute();
    await db.deleteFrom('audit_nodes').execute();
    await db.deleteFrom('audit_checkpoints').execute();
    await ctx.close();
    // The other history, written through the application and signed by the running log's key.
    ctx = await open(log);
    await write(ctx, 25, 'other');
    await ctx.close();
    const signed = await cli(log, ['audit', 'checkpoint', '--out', join(log.dir, 'other.txt')]);
    assert.equal(signed.code, 0, signed.stderr);
    const r = await cli(log, ['audit', 'verify', '--checkpoint', checkpointFile]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^audit log FORKED: the log's key signed two different histories/);
    // The log alone looks fine: only the witness's checkpoint exposes the fork.
    assert.equal((await cli(log, ['audit', 'verify'])).code, 0);
  });

  it('a checkpoint signed by another key, or edited after signing, is BAD SIGNATURE', async () => {
    await reset();
    await ctx.close();
    const note = readFileSync(checkpointFile, 'utf8');
    const parsed = parseCheckpointText(note.slice(0, note.lastIndexOf('\n\n') + 1));
    assert.ok(parsed.ok);
    const intruder = noteSigner(parsed.checkpoint.origin, createPrivateKey(generateKeyPem()));
    const forged = join(log.dir, 'forged.txt');
    writeFileSync(forged, signCheckpoint({ ...parsed.checkpoint, treeSize: 18 }, intruder));
    const r = await cli(log, ['audit', 'verify', '--checkpoint', forged]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^audit log BAD SIGNATURE: not signed by /);
    const edited = join(log.dir, 'edited.txt');
    writeFileSync(edited, note.replace('\n21\n', '\n20\n'));
    const e = await cli(log, ['audit', 'verify', '--checkpoint', edited]);
    assert.equal(e.code, 1, e.stdout + e.stderr);
    assert.match(e.stdout, /^audit log BAD SIGNATURE: the signature of \S+ does not match the text/);
    // A file that is not a checkpoint at all is bad input (exit 2), not a verdict on the log.
    writeFileSync(edited, 'hello\n');
    const junk = await cli(log, ['audit', 'verify', '--checkpoint', edited]);
    assert.equal(junk.code, 2, junk.stdout + junk.stderr);
    assert.match(junk.stderr, /AUDIT_INVALID_CHECKPOINT/);
  });

  it('a stored checkpoint forged in the database is BAD SIGNATURE', async () => {
    await reset();
    const latest = await ctx.db.selectFrom('audit_checkpoints').selectAll().orderBy('tree_size', 'desc').limit(1).executeTakeFirstOrThrow();
    const intruder = noteSigner(latest.note.slice(0, latest.note.indexOf('\n')), createPrivateKey(generateKeyPem()));
    const fake = signCheckpoint({ origin: intruder.name, treeSize: 25, rootHash: Buffer.alloc(32, 7) }, intruder);
    await ctx.db.insertInto('audit_checkpoints').values({ tree_size: 25, root_hash: Buffer.alloc(32, 7), note: fake, created_at: new Date().toISOString() }).execute();
    await ctx.close();
    const r = await cli(log, ['audit', 'verify']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^audit log BAD SIGNATURE: the latest stored checkpoint \(size 25\) is not signed by the log's key/);
  });
});

describe('the audit key on PostgreSQL', { skip: onPostgres ? false : 'PostgreSQL only (CALLSHIELD_TEST_ENGINE=postgres)' }, () => {
  it('serve refuses to start without CALLSHIELD_AUDIT_KEY_FILE, and says how to make one', async () => {
    const pg = await createTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'callshield-audit-key-'));
    const secretFile = join(dir, 'callshield.secret');
    const log: Log = { dir, config: loadConfig({}, { databaseUrl: pg.url, secretFile }), env: { DATABASE_URL: pg.url, CALLSHIELD_SECRET_FILE: secretFile }, dbArgs: [], drop: async () => {} };
    try {
      const r = await cli(log, ['serve', '--port', '0']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /CONFIG_INVALID \(CALLSHIELD_AUDIT_KEY_FILE\): CALLSHIELD_AUDIT_KEY_FILE is required with PostgreSQL/);
      assert.match(r.stderr, /callshield audit keygen/);
      const keygen = await cli(log, ['audit', 'keygen', join(dir, 'k.pem')]);
      assert.equal(keygen.code, 0, keygen.stderr);
      assert.equal(statSync(join(dir, 'k.pem')).mode & 0o777, 0o600);
      const again = await cli(log, ['audit', 'keygen', join(dir, 'k.pem')]);
      assert.equal(again.code, 2, 'never overwrites a key');
      const pub = await cli({ ...log, env: { ...log.env, CALLSHIELD_AUDIT_KEY_FILE: join(dir, 'k.pem') } }, ['audit', 'public-key']);
      assert.equal(pub.code, 0, pub.stderr);
      assert.match(pub.stdout, /^callshield\.audit\/[0-9a-f]{12}\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*\n$/);
    } finally {
      await pg.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
