// A fresh store for the STIR store tests: PostgreSQL when CALLSHIELD_TEST_ENGINE=postgres, else a
// SQLite file (these tests open several AppContexts on one store, which startTestServer does not).
import { join } from 'node:path';
import { createTestDatabase } from './postgres.js';

export async function createPostgresOrSqlite(dir: string, name: string): Promise<{ path: string; url: string | undefined; secretFile: string; drop(): Promise<void> }> {
  const secretFile = join(dir, `${name}.secret`);
  if (process.env.CALLSHIELD_TEST_ENGINE === 'postgres') {
    const pg = await createTestDatabase();
    return { path: join(dir, `${name}.db`), url: pg.url, secretFile, drop: () => pg.drop() };
  }
  return { path: join(dir, `${name}.db`), url: undefined, secretFile, drop: async () => undefined };
}
