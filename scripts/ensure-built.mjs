// Builds what is missing or older than its sources, else returns at once: dist/ (the compiled
// server and CLI) and web/dist (the console). Run by `prestart` and by the test runners, so
// `npm start`, `npm test` and the tests' `callshield` processes never run a stale build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let m = s.mtimeMs;
  for (const name of readdirSync(path)) m = Math.max(m, newest(join(path, name)));
  return m;
}

const stamp = join(repo, 'dist', '.built');
const sources = [join(repo, 'src'), join(repo, 'tsconfig.json'), join(repo, 'tsconfig.build.json')];
if (!existsSync(stamp) || Math.max(...sources.map(newest)) > statSync(stamp).mtimeMs) {
  console.error('building the server (dist) ...');
  const r = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs'), '--server'], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const web = spawnSync(process.execPath, [join(repo, 'web', 'ensure-built.mjs')], { cwd: repo, stdio: 'inherit' });
if (web.status !== 0) process.exit(web.status ?? 1);
