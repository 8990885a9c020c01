// The CLI loads only the module of the command it runs (src/cli/commands/index.ts): each entry of
// COMMANDS must register exactly the names it claims, and `cdr publish` and `gen cdr` must not
// pull in the store or the server through a static import (they then start in about 0.1 s instead
// of 0.9 s: a carrier publishing a file a minute pays the start every time).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { COMMANDS, commandsFor } from '../../../src/cli/commands/index.js';

/** Modules statically reachable from `file` (import/export … from, not `import type` nor import()): project files and package names. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\sfrom\s+'([^']+)'|^import\s+'([^']+)'/gms)) {
    const spec = m[1] ?? m[2]!;
    if (!spec.startsWith('.')) {
      seen.add(spec);
      continue;
    }
    const ts = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
    const target = existsSync(ts) ? ts : resolve(dirname(file), spec);
    if (existsSync(target)) staticImports(target, seen);
  }
  return seen;
}

describe('the CLI loads only the command it runs', () => {
  it('each entry registers exactly its names, in the order --help lists them', async () => {
    const all = new Command();
    for (const entry of COMMANDS) {
      const program = new Command();
      (await entry.load())(program);
      assert.deepEqual(program.commands.map((c) => c.name()), entry.names);
      (await entry.load())(all);
    }
    assert.equal(new Set(all.commands.map((c) => c.name())).size, all.commands.length, 'no name twice');
  });

  it('a named command loads its module alone; no command, help, an option or a typo load them all', async () => {
    assert.equal((await commandsFor(['cdr', 'publish', 'f.csv', '--nats', 'nats://x'])).length, 1);
    assert.equal((await commandsFor(['eval-holdout', 'dir'])).length, 1);
    for (const args of [[], ['--help'], ['help', 'screen'], ['scren', '+861']]) assert.equal((await commandsFor(args)).length, COMMANDS.length, args.join(' '));
  });

  it('`cdr publish` and `gen cdr` reach neither the store nor the server through a static import', () => {
    const root = join(import.meta.dirname, '../../../src');
    for (const file of ['cli/commands/cdr.ts', 'operations/governance/cdr-nats.ts', 'governance/generate-cdr.ts']) {
      const reached = [...staticImports(join(root, file))];
      const heavy = reached.filter((m) => ['kysely', 'pg', 'better-sqlite3', 'fastify'].includes(m) || /src\/(app-context|store\/|api\/)/.test(m));
      assert.deepEqual(heavy, [], `${file} reaches ${heavy.join(', ')}`);
    }
    // The walker itself: open-app.ts does reach the store.
    assert.ok([...staticImports(join(root, 'cli/open-app.ts'))].includes('kysely'));
  });
});
