// Migrations are forward-only and run on both engines: from an empty database to the latest, and
// from the previous version (with data in it) to the latest, keeping the data.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely';
import { openDatabase } from '../../src/store/open-database.js';
import { migrateToLatest, MIGRATIONS } from '../../src/store/migrate.js';
import { createTestDatabase } from '../helpers/postgres.js';

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
});
