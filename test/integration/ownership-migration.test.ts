// Migration 0011-ownership on a database with data, on both engines: existing policies and guardian
// lists stay with the organisation recorded on them, do-not-call registrations become one per (person, org), and
// existing consents get the default one-year term from when they were granted.
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
  const dir = mkdtempSync(join(tmpdir(), 'callshield-own-'));
  const { db } = openDatabase({ dbPath: join(dir, 'm.db') });
  return { db, done: async () => (await db.destroy(), rmSync(dir, { recursive: true, force: true })) };
}

describe(`migration 0011-ownership on ${onPostgres ? 'PostgreSQL' : 'SQLite'}`, () => {
  it('keeps policies with their organisation, registrations with theirs, and gives consents a term', async () => {
    const s = await freshStore();
    try {
      const before = Object.keys(MIGRATIONS).filter((n) => n < '0011-ownership');
      const provider: MigrationProvider = { getMigrations: async () => Object.fromEntries(before.map((n) => [n, MIGRATIONS[n] as Migration])) };
      assert.equal((await new Migrator({ db: s.db, provider }).migrateToLatest()).error, undefined);
      const db = s.db as any;
      await db.insertInto('policies').values({ subscriber_hash: 'sub-1', org_id: 'org-a', policy: '{"paused":false}', updated_at: '2026-01-01T00:00:00.000Z' }).execute();
      await db.insertInto('governance_dnc').values({ person_hash: 'p-1', index_key: '00000000000000aa', registered_at: '2026-02-01T00:00:00.000Z', withdrawn_at: null, via: 'app', org_id: 'org-a' }).execute();
      await db
        .insertInto('governance_consents')
        .values({ id: 'c-1', person_hash: 'p-1', index_key: '00000000000000aa', business: 'Acme', business_key: 'acme', purpose: 'marketing', channel: 'voice', granted_at: '2026-03-04T05:06:07.000Z', revoked_at: null, evidence: 'form 1', org_id: 'org-b', created_at: '2026-03-04T05:06:07.000Z' })
        .execute();

      await db.insertInto('subscriber_guardians').values({ subscriber_hash: 'sub-1', org_id: 'org-a', guardians: '[{"name":"Son","contact":"+8613911112222"}]', secret: 'ab', updated_at: '2026-01-01T00:00:00.000Z' }).execute();

      await migrateToLatest(s.db);

      const policies = await s.db.selectFrom('policies').selectAll().execute();
      assert.deepEqual(policies.map((p) => [p.org_id, p.subscriber_hash, p.policy]), [['org-a', 'sub-1', '{"paused":false}']]);
      // A second organisation's policy for the same subscriber is its own row.
      await s.db.insertInto('policies').values({ org_id: 'org-b', subscriber_hash: 'sub-1', policy: '{}', updated_at: '2026-04-01T00:00:00.000Z' }).execute();
      await assert.rejects(s.db.insertInto('policies').values({ org_id: 'org-b', subscriber_hash: 'sub-1', policy: '{}', updated_at: 'x' }).execute());

      const dnc = await s.db.selectFrom('governance_dnc').selectAll().execute();
      assert.deepEqual(dnc.map((d) => [d.person_hash, d.org_id, d.registered_at, d.registered_by]), [['p-1', 'org-a', '2026-02-01T00:00:00.000Z', null]]);
      await s.db.insertInto('governance_dnc').values({ person_hash: 'p-1', org_id: 'org-c', index_key: '00000000000000aa', registered_at: '2026-05-01T00:00:00.000Z', withdrawn_at: null, via: 'carrier', registered_by: 'C (carrier) / 7' }).execute();

      const guardians = await s.db.selectFrom('subscriber_guardians').selectAll().execute();
      assert.deepEqual(guardians.map((g) => [g.org_id, g.subscriber_hash, g.secret]), [['org-a', 'sub-1', 'ab']]);
      await s.db.insertInto('subscriber_guardians').values({ org_id: 'org-b', subscriber_hash: 'sub-1', guardians: '[]', secret: 'cd', updated_at: '2026-04-01T00:00:00.000Z' }).execute();

      const consent = await s.db.selectFrom('governance_consents').selectAll().executeTakeFirstOrThrow();
      assert.equal(consent.expires_at, '2027-03-04T05:06:07.000Z');
      assert.equal(consent.recorded_by, null);
    } finally {
      await s.done();
    }
  });
});
