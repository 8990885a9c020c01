// Runs every bench/*.bench.ts in its own process (so one benchmark's heap does not disturb the
// next one's memory figures) and prints their Markdown sections one after another.
// `npm run bench` runs them all; `npm run bench -- screening` only those whose name matches.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filter.length === 0 || filter.some((w) => f.includes(w)))
  .sort();

console.log(`# callshield benchmarks\n\nnode ${process.version}, ${new Date().toISOString()}\n`);
let failed = 0;
for (const f of files) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, f)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
