// The stored Merkle tree as one contract on both engines (SQLite here; PostgreSQL with
// CALLSHIELD_TEST_ENGINE=postgres): appends keep audit_nodes equal to the tree recomputed from
// the entries, two nodes writing at once share one sequence and one tree, and migration 0010 turns
// an existing hash chain into the first leaves and signs the first checkpoint.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely';
import { pino } from 'pino';
import {
  GENESIS_HASH,
  consistencyProof,
  entryBytes,
  entryText,
  generateKeyPem,
  hashEntry,
  hashLeaf,
  inclusionProof,
  memoryTree,
  rootOf,
  verifyCheckpoint,
} from '../../src/audit/index.js';
import { openApp } from '../../src/app-context.js';
import type { AppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config.js';
import type { Config } from '../../src/config.js';
import { inTransaction } from '../../src/operations/write.js';
import { verifyAuditLog, verifyAuditLogOf } from '../../src/operations/audit/verify.js';
import { STORED_LEVEL, auditLogReader, latestCheckpoint, rangeHashes, treeRoot } from '../../src/store/audit/log.js';
import { consistencyRanges, inclusionRanges } from '../../src/audit/index.js';
import { MIGRATIONS } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { createTestDatabase } from '../helpers/postgres.js';

const onPostgres = process.env.CALLSHIELD_TEST_ENGINE === 'postgres';

async function freshConfig(): Promise<{ config: Config; done: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'callshield-audit-store-'));
  if (onPostgres) {
    const pg = await createTestDatabase();
    const keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, generateKeyPem(), { mode: 0o600 });
    return { config: loadConfig({}, { dbPath: ':memory:', databaseUrl: pg.url, auditKeyFile: keyFile, secretFile: join(dir, 'callshield.secret'), logLevel: 'silent' }), done: async () => (await pg.drop(), rmSync(dir, { recursive: true, force: true })) };
  }
  return { config: loadConfig({}, { dbPath: join(dir, 'a.db'), logLevel: 'silent' }), done: async () => rmSync(dir, { recursive: true, force: true }) };
}

const open = (config: Config): Promise<AppContext> => openApp(config, { logger: pino({ level: 'silent' }), skipIndex: true });

async function leavesOf(ctx: AppContext): Promise<Buffer[]> {
  const rows = await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  return rows.map((r) => hashLeaf(entryBytes({ seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: r.details, prevHash: r.prev_hash })));
}

describe(`the stored audit tree (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('appends keep every stored subtree, root and proof equal to the tree recomputed from the entries', async () => {
    const { config, done } = await freshConfig();
    const ctx = await open(config);
    try {
      for (let i = 0; i < 70; i++) await inTransaction(ctx, ({ audit }) => audit({ actor: 'A (app)', action: 'x.y', subject: `s:${i}`, details: { i, text: 'ü "quoted"' } }));
      const leaves = await leavesOf(ctx);
      assert.equal(leaves.length, 70);
      const stored = await ctx.db.selectFrom('audit_log').select(['seq', 'leaf_hash']).orderBy('seq').execute();
      stored.forEach((r, i) => assert.ok(Buffer.from(r.leaf_hash).equals(leaves[i]!), `leaf ${i}`));
      const memory = memoryTree(leaves);
      const nodes = await ctx.db.selectFrom('audit_nodes').selectAll().execute();
      // Subtrees of 16 leaves and up: 4 of 16, 2 of 32, 1 of 64.
      assert.equal(nodes.length, 7);
      assert.ok(nodes.every((n) => Number(n.level) >= STORED_LEVEL));
      for (const n of nodes) assert.ok(Buffer.from(n.hash).equals(memory(Number(n.level), Number(n.idx))), `node ${n.level}/${n.idx}`);
      for (const size of [1, 2, 3, 7, 8, 33, 64, 70]) assert.ok((await treeRoot(ctx.db, size)).equals(rootOf(leaves.slice(0, size))), `root ${size}`);
      for (const [m, n] of [[0, 1], [5, 70], [69, 70], [40, 64]] as const) {
        assert.deepEqual(await rangeHashes(ctx.db, inclusionRanges(m, n)), inclusionProof(m, n, memory), `inclusion ${m}:${n}`);
      }
      for (const [m, n] of [[1, 70], [6, 8], [33, 70], [64, 70]] as const) {
        assert.deepEqual(await rangeHashes(ctx.db, consistencyRanges(m, n)), consistencyProof(m, n, memory), `consistency ${m}:${n}`);
      }
    } finally {
      await ctx.close();
      await done();
    }
  });

  it('entries with any text verify through both readers (on SQLite: the json_array fast path)', async () => {
    const { config, done } = await freshConfig();
    const ctx = await open(config);
    try {
      const odd = ['tab\there', 'nl\nq"uote\\', '\u0001\u001f\u007f (PostgreSQL refuses NUL; so does the API)', '中文 emoji 😀', '\u2028\u2029', 'lone \ud800 surrogate', '</script>'];
      for (const [i, text] of odd.entries()) {
        await inTransaction(ctx, ({ audit }) => audit({ actor: `${text} (app)`, action: 'x', subject: text, details: { text, i } }));
      }
      const fast = await verifyAuditLogOf(ctx);
      assert.equal(fast.ok, true, JSON.stringify(fast));
      const plain = await verifyAuditLog(ctx.db, { key: ctx.auditKey! });
      assert.equal(plain.ok, true, JSON.stringify(plain));
      assert.equal(fast.rootHash, plain.rootHash);
      const reader = auditLogReader(ctx.db, ctx.engine === 'sqlite' ? ctx.config.dbPath : undefined);
      try {
        const page = await reader.textPage(0, 100);
        const rows = await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
        assert.deepEqual(page!.texts, rows.map((r) => entryText({ seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: r.details, prevHash: r.prev_hash })));
      } finally {
        await reader.close();
      }
    } finally {
      await ctx.close();
      await done();
    }
  });

  it('a failed write leaves no entry and no subtree behind', async () => {
    const { config, done } = await freshConfig();
    const ctx = await open(config);
    try {
      await inTransaction(ctx, ({ audit }) => audit({ actor: 'A (app)', action: 'x', subject: 's', details: {} }));
      await assert.rejects(
        inTransaction(ctx, async ({ audit }) => {
          await audit({ actor: 'A (app)', action: 'x', subject: 't', details: {} });
          throw new Error('the change after the audit entry failed');
        }),
      );
      assert.equal((await ctx.db.selectFrom('audit_log').select('seq').execute()).length, 1);
      assert.equal((await ctx.db.selectFrom('audit_nodes').select('idx').execute()).length, 0);
      await inTransaction(ctx, ({ audit }) => audit({ actor: 'A (app)', action: 'x', subject: 'u', details: {} }));
      assert.equal((await verifyAuditLog(ctx.db, { key: ctx.auditKey! })).ok, true);
    } finally {
      await ctx.close();
      await done();
    }
  });

  // On PostgreSQL two contexts are two nodes (two pools, the advisory lock between them). SQLite's
  // driver is synchronous: a second connection in the same process would block the event loop
  // while waiting for the first one's write lock, so there one context takes both streams (two
  // processes on one file are covered by the CLI tests).
  it('two nodes appending at once share one sequence and one tree', async () => {
    const { config, done } = await freshConfig();
    const a = await open(config);
    const b = onPostgres ? await open(config) : a;
    try {
      const write = (ctx: AppContext, who: string, i: number) => inTransaction(ctx, ({ audit }) => audit({ actor: `${who} (bank)`, action: 'hold.create', subject: `hold:${who}-${i}`, details: { i } }));
      await Promise.all(Array.from({ length: 40 }, (_, i) => [write(a, 'A', i), write(b, 'B', i)]).flat());
      const seqs = (await a.db.selectFrom('audit_log').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
      assert.deepEqual(seqs, Array.from({ length: 80 }, (_, i) => i + 1));
      const r = await verifyAuditLog(a.db, { key: a.auditKey! });
      assert.equal(r.ok, true, JSON.stringify(r));
      assert.equal(r.treeSize, 80);
      assert.ok((await treeRoot(b.db, 80)).equals(rootOf(await leavesOf(b))));
    } finally {
      await a.close();
      if (b !== a) await b.close();
      await done();
    }
  });

  it('migration 0010 makes an existing chain the first leaves; the first checkpoint is signed at the next start', async () => {
    const { config, done } = await freshConfig();
    const { db } = openDatabase(config);
    try {
      const previous = Object.keys(MIGRATIONS).sort().filter((n) => n < '0010');
      const provider: MigrationProvider = { getMigrations: async () => Object.fromEntries(previous.map((n) => [n, MIGRATIONS[n] as Migration])) };
      assert.equal((await new Migrator({ db, provider }).migrateToLatest()).error, undefined);
      // A chain as the previous version wrote it.
      let prev = GENESIS_HASH;
      const old: { seq: number; hash: string }[] = [];
      for (let seq = 1; seq <= 37; seq++) {
        const e = { seq, at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), actor: 'Regulator (regulator)', action: 'appeal.upheld', subject: `appeal:${seq}`, details: JSON.stringify({ seq }), prevHash: prev };
        const hash = hashEntry(e);
        await db.insertInto('audit_log').values({ seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, details: e.details, prev_hash: prev, hash } as never).execute();
        old.push({ seq, hash });
        prev = hash;
      }
    } finally {
      await db.destroy();
    }
    const ctx = await open(config); // migrates to the latest, then signs the first checkpoint
    try {
      const rows = await ctx.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq').execute();
      assert.equal(rows.length, 37, 'no entry added or lost');
      const leaves = await leavesOf(ctx);
      const cp = await latestCheckpoint(ctx.db);
      assert.ok(cp);
      assert.equal(cp.treeSize, 37);
      assert.ok(cp.rootHash.equals(rootOf(leaves)), 'the checkpoint covers the old chain as leaves');
      assert.ok(verifyCheckpoint(cp.note, ctx.auditKey!).ok);
      const r = await verifyAuditLog(ctx.db, { key: ctx.auditKey! });
      assert.equal(r.ok, true, JSON.stringify(r));
      assert.equal(r.head, rows[36]!.hash, 'the chain head is unchanged');
      // New entries continue both the chain and the tree.
      await inTransaction(ctx, ({ audit }) => audit({ actor: 'A (app)', action: 'x', subject: 'after', details: {} }));
      const next = await ctx.db.selectFrom('audit_log').selectAll().where('seq', '=', 38).executeTakeFirstOrThrow();
      assert.equal(next.prev_hash, rows[36]!.hash);
      assert.equal((await verifyAuditLog(ctx.db, { key: ctx.auditKey! })).ok, true);
    } finally {
      await ctx.close();
      await done();
    }
  });
});
