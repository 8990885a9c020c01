// Builds the console when web/dist is missing or older than its sources; otherwise returns at once,
// so `npm start` stays fast once built. Used by `prestart` and by the browser tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const repo = dirname(web);
const built = join(web, 'dist', 'index.html');

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let m = s.mtimeMs;
  for (const name of readdirSync(path)) m = Math.max(m, newest(join(path, name)));
  return m;
}

// The navigation mirrors the role permissions, which the console imports at build time.
const sources = [join(web, 'src'), join(web, 'index.html'), join(web, 'vite.config.ts'), join(repo, 'src', 'auth', 'permissions.ts')];
const stale = !existsSync(built) || sources.some((p) => existsSync(p) && newest(p) > statSync(built).mtimeMs);
if (stale) {
  console.error('building the console (web/dist) ...');
  const vite = join(repo, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', join(web, 'vite.config.ts')], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
