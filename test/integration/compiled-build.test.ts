// The compiled build is what users run: `callshield` (and `npm start`) serve from dist/ with no
// TypeScript compiler, tsx, esbuild or Vite loadable (test/fixtures/deny-build-tools.mjs makes
// loading any of them, or any .ts file, fail).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DENY = join(ROOT, 'test', 'fixtures', 'deny-build-tools.mjs');

test('the deny hook really refuses TypeScript sources (the check below could not pass by accident)', () => {
  const r = spawnSync(process.execPath, ['--import', DENY, '-e', "await import('./src/config.ts')"], { cwd: ROOT, encoding: 'utf8', input: '' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /TypeScript source loaded at run time/);
});

test('package.json keeps build tools out of the run-time dependencies', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };
  for (const tool of ['typescript', 'tsx', 'vite', 'esbuild']) assert.equal(pkg.dependencies[tool], undefined, `${tool} is a run-time dependency`);
  assert.equal(pkg.scripts.start, 'node bin/callshield.js serve');
});

test('callshield --help and serve run from dist/ with the build tools unloadable', async () => {
  const help = spawnSync(process.execPath, ['--import', DENY, 'bin/callshield.js', '--help'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /Usage: callshield/);

  const dir = mkdtempSync(join(tmpdir(), 'callshield-build-'));
  const proc = spawn(process.execPath, ['--import', DENY, 'bin/callshield.js', 'serve', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', CALLSHIELD_DB: join(dir, 'build.db'), CALLSHIELD_SECRET_FILE: join(dir, 'secret') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: proc.stdout! }).on('line', (line) => {
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m) resolve(m[1]!);
      });
      proc.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    const openapi = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    assert.ok(openapi.paths['/v1/screen'], 'the compiled server documents /v1/screen');
    const console = await fetch(`${url}/`);
    assert.equal(console.status, 200);
    assert.match(await console.text(), /<div id="app"|<script/);
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => (proc.exitCode !== null ? r(undefined) : proc.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
  assert.doesNotMatch(stderr, /build tool loaded|TypeScript source loaded/);
});
