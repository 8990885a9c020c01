// `npm test`: every test file under test/ through node's test runner (Node 20's --test does not
// expand globs itself), then the integration suite again on PostgreSQL (scripts/test-postgres.ts).
// `node --import tsx scripts/run-tests.ts test/unit` runs one folder; `--engine postgres` sets
// CALLSHIELD_TEST_ENGINE for the run.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

// The tests run the `callshield` command as users do, from the compiled build: build it first when
// src/ is newer (a no-op otherwise).
const built = spawnSync(process.execPath, ['scripts/ensure-built.mjs'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const args = process.argv.slice(2);
const engineAt = args.indexOf('--engine');
const engine = engineAt >= 0 ? args.splice(engineAt, 2)[1] : undefined;
const roots = args.length ? args : ['test'];
const files = roots.flatMap((r) => (statSync(r).isDirectory() ? findTests(r) : [r]));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  env: { ...process.env, ...(engine ? { CALLSHIELD_TEST_ENGINE: engine } : {}) },
});
process.exit(r.status ?? 1);
