// `npm run build`: compiles src/ to dist/ with tsc (tsconfig.build.json), copies the files src/ reads
// at run time (the conversation model, training lists) beside the compiled code, and builds the
// console (web/dist). Plain JavaScript so it runs before anything is compiled; `npm install` runs it
// through `prepare`, so the README's two commands still do all the set-up.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const src = join(repo, 'src');
const dist = join(repo, 'dist');

function run(script, args) {
  const r = spawnSync(process.execPath, [join(repo, 'node_modules', ...script), ...args], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Every file under src/ that tsc does not emit (data read through import.meta.url). */
function assets(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...assets(p));
    else if (!/\.(ts|tsx|mts|cts)$/.test(name)) out.push(p);
  }
  return out;
}

const onlyServer = process.argv.includes('--server');
const started = Date.now();
run(['typescript', 'bin', 'tsc'], ['-p', 'tsconfig.build.json']);
for (const file of assets(src)) {
  const to = join(dist, relative(src, file));
  mkdirSync(dirname(to), { recursive: true });
  cpSync(file, to);
}
// dist/ is ESM like the sources (the package's "type": "module" covers it); the stamp tells
// scripts/ensure-built.mjs when the build is older than the sources.
writeFileSync(join(dist, '.built'), `${new Date(started).toISOString()}\n`);
if (!onlyServer) run(['vite', 'bin', 'vite.js'], ['build', '--config', join('web', 'vite.config.ts')]);
