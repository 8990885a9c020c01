// Migrations are forward-only and run on both engines: from an empty database to the latest, and
// from the previous version (with data in it) to the latest, keeping the data.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely';
import { openDatabase } from '../../src/store/open-database.js';
import { migrateToLatest, MIGRATIONS } from '../../src/store/migrate.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { LSH_BANDS, minhash, scriptBandKeys } from '../../src/campaigns/index.js';
import { scriptIndexOf } from '../../src/store/campaigns/script-index.js';

const onPostgres = process.env.CALLSHIELD_TEST_ENGINE === 'postgres';

async function freshStore(): Promise<{ db: ReturnType<typeof openDatabase>['db']; done: () => Promise<void> }> {
  if (onPostgres) {
    const pg = await createTestDatabase();
    const { db } = openDatabase({ dbPath: '', databaseUrl: pg.url });
    return { db, done: async () => (await db.destroy(), await pg.drop()) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'callshield-mig-'));
  const { db } = openDatabase({ dbPath: join(dir, 'm.db') });
  return { db, done: async () => (await db.destroy(), rmSync(dir, { recursive: true, force: true })) };
}

describe(`migrations on ${onPostgres ? 'PostgreSQL' : 'SQLite'}`, () => {
  const names = Object.keys(MIGRATIONS).sort();

  it('go from an empty database to the latest, and a second run is a no-op', async () => {
    const s = await freshStore();
    try {
      assert.deepEqual(await migrateToLatest(s.db), names);
      assert.deepEqual(await migrateToLatest(s.db), []);
      const tables = (await s.db.introspection.getTables()).map((t) => t.name);
      for (const t of ['orgs', 'api_keys', 'reports', 'audit_log', 'changes']) assert.ok(tables.includes(t), t);
    } finally {
      await s.done();
    }
  });

  it('go from the previous version, with data, to the latest without losing it', async () => {
    const s = await freshStore();
    try {
      const previous = names.slice(0, -1);
      const provider: MigrationProvider = { getMigrations: async () => Object.fromEntries(previous.map((n) => [n, MIGRATIONS[n] as Migration])) };
      const { error } = await new Migrator({ db: s.db, provider }).migrateToLatest();
      assert.equal(error, undefined);
      await s.db.insertInto('orgs').values({ id: 'o1', name: 'Before', role: 'app', created_at: new Date().toISOString() }).execute();
      assert.deepEqual(await migrateToLatest(s.db), [names.at(-1)]);
      const org = await s.db.selectFrom('orgs').selectAll().where('id', '=', 'o1').executeTakeFirst();
      assert.equal(org?.name, 'Before');
    } finally {
      await s.done();
    }
  });

  it('0009 gives existing freezes the people behind their keys (key:<id> for keys made before people were recorded)', async () => {
    const s = await freshStore();
    try {
      const upTo = names.slice(0, names.indexOf('0009-key-lifecycle'));
      const provider: MigrationProvider = { getMigrations: async () => Object.fromEntries(upTo.map((n) => [n, MIGRATIONS[n] as Migration])) };
      assert.equal((await new Migrator({ db: s.db, provider }).migrateToLatest()).error, undefined);
      const at = new Date().toISOString();
      await s.db.insertInto('orgs').values({ id: 'p1', name: 'Unit', role: 'police', created_at: at }).execute();
      const key = { org_id: 'p1', prefix: 'csk_x', label: null, created_at: at, revoked_at: null };
      await s.db.insertInto('api_keys').values({ ...key, id: 'k1', key_hash: 'h1', person: 'badge-1' } as never).execute();
      await s.db.insertInto('api_keys').values({ ...key, id: 'k2', key_hash: 'h2', person: null } as never).execute();
      const freeze = { org_id: 'p1', case_number: 'C', amount: '1', currency: 'CNY', legal_basis: 'law', approved_at: null, expires_at: null, release_reason: null, created_at: at, updated_at: at };
      await s.db.insertInto('freezes').values({ ...freeze, id: 'f1', status: 'active', filed_by_key: 'k1', approved_by_key: 'k2' } as never).execute();
      await s.db.insertInto('freezes').values({ ...freeze, id: 'f2', status: 'pending', filed_by_key: 'k2', approved_by_key: null } as never).execute();
      await migrateToLatest(s.db);
      const rows = await s.db.selectFrom('freezes').select(['id', 'filed_by_person', 'approved_by_person', 'filed_by_key']).orderBy('id').execute();
      assert.deepEqual(rows, [
        { id: 'f1', filed_by_person: 'badge-1', approved_by_person: 'key:k2', filed_by_key: 'k1' },
        { id: 'f2', filed_by_person: 'key:k2', approved_by_person: null, filed_by_key: 'k2' },
      ]);
      const keys = await s.db.selectFrom('api_keys').select(['id', 'expires_at', 'last_used_at', 'replaced_by']).orderBy('id').execute();
      assert.deepEqual(keys, [
        { id: 'k1', expires_at: null, last_used_at: null, replaced_by: null },
        { id: 'k2', expires_at: null, last_used_at: null, replaced_by: null },
      ]);
    } finally {
      await s.done();
    }
  });

  it('0029 drops reports_created, which no query reads, and keeps the caller index the reads use', async () => {
    const s = await freshStore();
    try {
      await migrateToLatest(s.db);
      const indexes = onPostgres
        ? (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'reports'`.execute(s.db)).rows
        : (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'reports'`.execute(s.db)).rows;
      const names = indexes.map((r) => r.name);
      assert.ok(!names.includes('reports_created'), names.join(', '));
      assert.ok(names.includes('reports_caller'), names.join(', '));
    } finally {
      await s.done();
    }
  });

  it('0028 indexes the scripts stored before it: every honeypot transcript and guard call with a fingerprint, a page at a time', async () => {
    const s = await freshStore();
    try {
      const upTo = names.slice(0, names.indexOf('0028-script-bands'));
      const provider: MigrationProvider = { getMigrations: async () => Object.fromEntries(upTo.map((n) => [n, MIGRATIONS[n] as Migration])) };
      assert.equal((await new Migrator({ db: s.db, provider }).migrateToLatest()).error, undefined);
      const at = new Date().toISOString();
      const script = 'This is the customs office: a parcel in your name holds illegal goods, pay the deposit to the safe account';
      const transcripts = Array.from({ length: 1_100 }, (_, i) => ({ id: `t${String(i).padStart(5, '0')}`, honeypot: '+8613700000001', org_id: 'c1', caller: `+86170${String(i).padStart(8, '0')}`, text: `${script} ${i}`, fingerprint: JSON.stringify(minhash(`${script} ${i}`)), at, created_at: at }));
      transcripts.push({ ...transcripts[0]!, id: 'short', text: 'hi', fingerprint: '[]' });
      for (let i = 0; i < transcripts.length; i += 200) await s.db.insertInto('honeypot_transcripts').values(transcripts.slice(i, i + 200)).execute();
      const call = { org_id: 'app-1', callee_hash: 'h', channel: 'phone', started_at: at, ended_at: null, turns: 1, max_risk: 0, stages: '[]', label: 'scam' };
      await s.db.insertInto('guard_calls').values({ ...call, id: 'g1', caller: '+8617100000001', fingerprint: JSON.stringify(minhash(script)) } as never).execute();
      await s.db.insertInto('guard_calls').values({ ...call, id: 'g2', caller: '+8617100000002', fingerprint: null } as never).execute();
      assert.deepEqual((await migrateToLatest(s.db)).slice(0, 1), ['0028-script-bands']);
      const rows = await s.db.selectFrom('script_fingerprints').select(['id', 'source', 'party']).orderBy('id').execute();
      assert.equal(rows.length, 1_101, 'every transcript with a fingerprint and the guard call with one');
      assert.deepEqual(rows[0], { id: 'guard:g1', source: 'guard', party: 'app-1' });
      assert.deepEqual(rows.at(-1), { id: 'honeypot:t01099', source: 'honeypot', party: null });
      const bands = await s.db.selectFrom('script_bands').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(bands.n), 1_101 * LSH_BANDS);
      // The backfilled index answers: the guard call's script finds the transcripts of the same script.
      const index = scriptIndexOf(s.db);
      const found = (await index.candidates(scriptBandKeys(minhash(script)), ['+8617100000001'], 2_000)).scripts;
      assert.ok(found.length >= 1_000, String(found.length));
    } finally {
      await s.done();
    }
  });
});
