// Nothing that `npm test`, `npm start`, the CLI or the scripts run reads a path outside the
// repository: a fresh clone has nothing beside it. The labelled data sets (not redistributable)
// are the one exception, reached only through test/helpers/shared-data.ts by tests that skip
// without them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findPathsLeavingRepo, listSourceFiles } from '../helpers/repository-paths.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED = ['src', 'test', 'scripts', 'bench', 'bin', 'web'];
const ALLOWED = new Set(['test/helpers/shared-data.ts']);

const scan = (file: string, source: string) => findPathsLeavingRepo(source, file, ROOT);
const whys = (file: string, source: string) => scan(file, source).map((f) => f.why);

test('no source file reads a path outside the repository (only the shared-data helper may)', () => {
  const files = listSourceFiles(ROOT, SCANNED);
  assert.ok(files.includes('src/cli/commands/train.ts') && files.includes('scripts/run-tests.ts') && files.includes('web/ensure-built.mjs'));
  const findings = files.filter((f) => !ALLOWED.has(f)).flatMap((f) => scan(f, readFileSync(new URL(f, `file://${ROOT}/`), 'utf8')));
  assert.deepEqual(findings, [], findings.map((f) => `${f.file}:${f.line} ${f.text}: ${f.why}`).join('\n'));
});

test('the shared-data helper is allowed because it does read outside, and it is the only one', () => {
  const helper = 'test/helpers/shared-data.ts';
  assert.equal(scan(helper, readFileSync(new URL(helper, `file://${ROOT}/`), 'utf8')).length, 1);
  assert.deepEqual([...ALLOWED], [helper]);
});

test('a read of ../shared, or of anything above the root, is found however it is written', () => {
  const file = 'src/cli/commands/example.ts';
  assert.deepEqual(whys(file, "readFileSync('../shared/data/zh-calls.jsonl', 'utf8');"), ['readFileSync() reads outside the repository (relative to the repository root)']);
  assert.deepEqual(whys(file, "fs.readFileSync('../other-checkout/x.json');"), ['readFileSync() reads outside the repository (relative to the repository root)']);
  assert.deepEqual(whys(file, "const r = readFileSync(`../shared/data/${name}`);"), ['readFileSync() reads outside the repository (relative to the repository root)']);
  assert.deepEqual(whys(file, "program.option('--data <dir>', 'labelled files', '../shared/data');"), ['names ../shared, which a fresh clone does not have']);
  assert.deepEqual(whys(file, "const DIRS = ['examples/x.csv', '../shared/data/x.csv'];"), ['names ../shared, which a fresh clone does not have']);
  assert.deepEqual(whys(file, "const f = here('../../shared/data/zh-calls.jsonl');"), ['names ../shared, which a fresh clone does not have']);
  assert.deepEqual(whys(file, "const p = join(ROOT, '..', 'shared', 'data');"), ['join() climbs above the repository root']);
  assert.deepEqual(whys(file, "const p = path.resolve('..', 'elsewhere');"), ['resolve() climbs above the repository root']);
  assert.deepEqual(whys(file, "const p = join(import.meta.dirname, '..', '..', '..', '..', 'x');"), ['join() climbs above the repository root']);
  assert.deepEqual(whys(file, "spawnSync('node', ['x.js'], { cwd: '../elsewhere' });"), ['runs in a folder outside the repository']);
  assert.deepEqual(whys(file, "import { x } from '../../../../outside.js';"), ['imports a module outside the repository']);
  assert.deepEqual(whys(file, "const m = await import('../../../../outside.js');"), ['imports a module outside the repository']);
});

test('new URL(…, import.meta.url) is resolved from the file that holds it', () => {
  const file = 'test/unit/stir/interop-vectors.test.ts';
  assert.deepEqual(whys(file, "const V = new URL('../../../../shared/stir-vectors/libstirshaken/', import.meta.url);"), ['resolves, from this file, to a path outside the repository']);
  assert.deepEqual(whys(file, "const V = new URL('../../../../elsewhere/', import.meta.url);"), ['resolves, from this file, to a path outside the repository']);
  assert.deepEqual(whys(file, "const V = new URL('../../fixtures/stir/libstirshaken/', import.meta.url);"), []);
  assert.deepEqual(whys(file, "const ROOT = fileURLToPath(new URL('../../..', import.meta.url));"), []);
  assert.deepEqual(whys(file, "const P = join(fileURLToPath(new URL('../../..', import.meta.url)), '..', 'shared');"), ['join() climbs above the repository root']);
});

test('paths inside the repository, prose and data that merely look like paths are not findings', () => {
  const file = 'test/integration/example.test.ts';
  const clean = [
    "readFileSync('examples/ftc-dnc-complaints-2021-07-08.csv');",
    "existsSync(join(ROOT, 'examples', 'x.csv'));",
    "const p = join(dir, 'a', '..', 'b');",
    "import { x } from '../../src/errors.js';",
    "const STRINGS = ['%00', '../../etc/passwd', \"' OR 1=1 --\"];", // request payloads, not reads
    "if (text.includes('..')) throw new Error('x');",
    '// shared/data sits beside the checkout: ../shared/data\nconst a = 1;',
    "/* readFileSync('../shared/data/x') */ const b = 2;",
    "const doc = 'see shared/DESIGN.md';",
    "const u = new URL('../x', 'https://example.test/a/b');",
  ];
  for (const source of clean) assert.deepEqual(whys(file, source), [], source);
});

test('a finding names the file and line', () => {
  const [f] = scan('scripts/example.ts', "const a = 1;\n\nconst t = readFileSync('../shared/x');\n");
  assert.deepEqual({ file: f?.file, line: f?.line, text: f?.text }, { file: 'scripts/example.ts', line: 3, text: "readFileSync('../shared/x')" });
});
