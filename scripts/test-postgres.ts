// Runs the integration suite again on PostgreSQL (each test server gets a fresh database).
// Part of `npm test`; skipped with a notice when no PostgreSQL answers, except in CI where it must.
import { spawnSync } from 'node:child_process';
import { postgresAvailable, PG_ADMIN_URL } from '../test/helpers/postgres.js';

if (!(await postgresAvailable())) {
  const msg = `PostgreSQL at ${PG_ADMIN_URL.replace(/\/\/[^@]*@/, '//')} does not answer`;
  if (process.env.CI) {
    console.error(`${msg}: CI needs it (.ci/run starts it)`);
    process.exit(1);
  }
  console.log(`skipping the PostgreSQL run: ${msg}`);
  process.exit(0);
}
console.log('# integration suite on PostgreSQL');
const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/run-tests.ts', '--engine', 'postgres', 'test/integration'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
