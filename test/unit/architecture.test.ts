// The layering of docs/architecture.md, checked on the source: domain folders are plain functions
// over plain data, so none may import the edges (api, operations, store, cli) or the context.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const DOMAINS = ['identity', 'reputation', 'screening', 'stir', 'conversation', 'payments', 'governance', 'audit', 'auth', 'i18n', 'campaigns'];
const EDGES = ['api', 'operations', 'store', 'cli', 'app-context.ts', 'config.ts', 'change-feed.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The relative module specifiers a file imports or re-exports, static or dynamic. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) out.push(m[1]!);
  return out;
}

/** The edge a domain file reaches into, or undefined when the import stays inside the core. */
function edgeOf(file: string, spec: string): string | undefined {
  const target = relative(SRC, resolve(dirname(file), spec));
  const top = target.split(/[\\/]/)[0]!.replace(/\.js$/, '.ts');
  return EDGES.includes(top) ? top : undefined;
}

describe('architecture', () => {
  it('finds static, type-only and dynamic imports', () => {
    const text = "import { a } from '../store/x.js';\nimport type { B } from '../api/y.js';\nexport * from './z.js';\nawait import('../cli/w.js');";
    assert.deepEqual(importsOf(text), ['../store/x.js', '../api/y.js', './z.js', '../cli/w.js']);
    const file = join(SRC, 'payments', 'decide-transfer.ts');
    assert.deepEqual(importsOf(text).map((s) => edgeOf(file, s)), ['store', 'api', undefined, 'cli']);
  });

  for (const domain of DOMAINS) {
    it(`src/${domain} imports no edge (api, operations, store, cli, the context)`, () => {
      const files = sourceFiles(join(SRC, domain));
      assert.ok(files.length > 0, `src/${domain} has source files`);
      const leaks = files.flatMap((f) => importsOf(readFileSync(f, 'utf8')).flatMap((spec) => {
        const edge = edgeOf(f, spec);
        return edge ? [`${relative(SRC, f)} imports ${spec}`] : [];
      }));
      assert.deepEqual(leaks, []);
    });
  }
});
