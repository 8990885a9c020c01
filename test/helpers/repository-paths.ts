// Finds paths in source files that leave the repository: what a fresh clone, with nothing beside
// it, would not have. Parsed with the TypeScript scanner, so comments and prose never count, and
// checked where a string is used as a path:
// - any string naming ../shared (the data and vectors that sit beside the checkout in CI);
// - module specifiers and `new URL(x, import.meta.url)`, resolved against the file's folder;
// - join()/resolve() chains, from import.meta.dirname / __dirname when that is the base, else from
//   the repository root (a base we cannot see is taken to be the root: climbing above it is flagged);
// - the first argument of node:fs calls and `cwd:` values, resolved against the repository root
//   (npm scripts, tests and the CLI run from there).
import { readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface PathFinding {
  /** Repository-relative path of the file, with forward slashes. */
  file: string;
  line: number;
  /** The source text of the expression that names the path. */
  text: string;
  why: string;
}

// A path whose climb (a run of ../) reaches a folder named shared: '../shared/data', 'x/../../shared'.
// The run starts the string or follows a named folder, so code quoted inside a string does not count.
const NAMES_SHARED = /(?:^|(?<!\.\.)[/\\])(?:\.\.[/\\]+)+shared(?:[/\\]|$)/;

const FS_CALLS = new Set([
  'access', 'accessSync', 'appendFile', 'appendFileSync', 'copyFile', 'copyFileSync', 'cp', 'cpSync', 'createReadStream',
  'createWriteStream', 'existsSync', 'lstat', 'lstatSync', 'mkdir', 'mkdirSync', 'open', 'openSync', 'opendir', 'opendirSync',
  'readdir', 'readdirSync', 'readFile', 'readFileSync', 'realpath', 'realpathSync', 'rm', 'rmSync', 'stat', 'statSync',
  'watch', 'writeFile', 'writeFileSync',
]);

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/** Source files under `dirs` (relative to root), skipping node_modules and build output. */
export function listSourceFiles(root: string, dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(rel);
      } else if (SOURCE_EXTENSIONS.some((e) => entry.name.endsWith(e))) out.push(rel);
    }
  };
  for (const d of dirs) walk(d);
  return out.sort();
}

/** The text of a string literal; a template's substitutions become one opaque segment each. */
function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => `x${s.literal.text}`).join('');
  return undefined;
}

function calleeName(expr: ts.Expression): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  return undefined;
}

function isImportMetaUrl(node: ts.Node | undefined): boolean {
  return !!node && ts.isPropertyAccessExpression(node) && ts.isMetaProperty(node.expression) && node.name.text === 'url';
}

function isFileDir(node: ts.Node): boolean {
  if (ts.isIdentifier(node)) return node.text === '__dirname';
  return ts.isPropertyAccessExpression(node) && ts.isMetaProperty(node.expression) && node.name.text === 'dirname';
}

/** `new URL('<literal>', import.meta.url)`: the literal, else undefined. */
function fileRelativeUrl(node: ts.Node): string | undefined {
  if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'URL') return undefined;
  const [first, second] = node.arguments ?? [];
  return first && isImportMetaUrl(second) ? literalText(first) : undefined;
}

function isOutside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** Every place in `source` (the text of `file`, relative to `root`) that names a path outside root. */
export function findPathsLeavingRepo(source: string, file: string, root: string): PathFinding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const fileDir = dirname(resolve(root, file));
  const findings: PathFinding[] = [];
  const exact = new Set<ts.Node>(); // literals whose meaning a precise rule already decided

  const flag = (node: ts.Node, why: string): void => {
    findings.push({ file: file.split(sep).join('/'), line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: node.getText(sf), why });
  };
  const relativeText = (node: ts.Node | undefined): string | undefined => {
    const t = node && literalText(node);
    return t !== undefined && (t === '..' || t.startsWith('../') || t.startsWith('..\\')) ? t : undefined;
  };

  const visit = (node: ts.Node): void => {
    // Module specifiers: import/export ... from '…', import('…').
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const spec = literalText(node.moduleSpecifier);
      exact.add(node.moduleSpecifier);
      if (spec?.startsWith('.') && isOutside(root, resolve(fileDir, spec))) flag(node.moduleSpecifier, 'imports a module outside the repository');
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) {
      const spec = literalText(node.arguments[0]);
      exact.add(node.arguments[0]);
      if (spec?.startsWith('.') && isOutside(root, resolve(fileDir, spec))) flag(node.arguments[0], 'imports a module outside the repository');
    }
    // new URL('…', import.meta.url)
    const url = fileRelativeUrl(node);
    if (url !== undefined && ts.isNewExpression(node)) {
      exact.add(node.arguments![0]!);
      if (!/^[a-z][a-z0-9+.-]*:/i.test(url) && isOutside(root, resolve(fileDir, url))) flag(node, 'resolves, from this file, to a path outside the repository');
    }
    if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression);
      // join(base, '…', …) / resolve(…)
      if ((name === 'join' || name === 'resolve') && node.arguments.length > 0 && node.arguments.some((a) => literalText(a) !== undefined)) {
        const [first, ...rest] = node.arguments;
        let base = root;
        let parts = [...node.arguments];
        if (isFileDir(first!)) [base, parts] = [fileDir, rest];
        else if (first && ts.isCallExpression(first) && first.arguments[0] && fileRelativeUrl(first.arguments[0]) !== undefined) {
          [base, parts] = [resolve(fileDir, fileRelativeUrl(first.arguments[0])!), rest];
        } else if (first && literalText(first) === undefined) parts = rest; // a base we cannot see: taken to be the root
        const segments = parts.map((a) => literalText(a) ?? 'x');
        if (!(name === 'resolve' && segments.some((s) => isAbsolute(s))) && isOutside(root, join(base, ...segments))) {
          flag(node, `${name}() climbs above the repository root`);
        }
        for (const a of node.arguments) exact.add(a);
      }
      // readFileSync('…'), existsSync('…'), …: relative to the working directory, the repository root.
      const firstRelative = relativeText(node.arguments[0]);
      if (name && FS_CALLS.has(name) && firstRelative !== undefined) {
        exact.add(node.arguments[0]!);
        if (isOutside(root, resolve(root, firstRelative))) flag(node, `${name}() reads outside the repository (relative to the repository root)`);
      }
    }
    // { cwd: '…' }
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'cwd') {
      const cwd = relativeText(node.initializer);
      if (cwd !== undefined) {
        exact.add(node.initializer);
        if (isOutside(root, resolve(root, cwd))) flag(node, 'runs in a folder outside the repository');
      }
    }
    // Any other string naming ../shared, wherever it goes (a default, a constant, a list).
    const text = literalText(node);
    if (text !== undefined && !exact.has(node) && !isInsideExact(node) && NAMES_SHARED.test(text)) flag(node, 'names ../shared, which a fresh clone does not have');
    ts.forEachChild(node, visit);
  };
  const isInsideExact = (node: ts.Node): boolean => {
    for (let p = node.parent; p; p = p.parent) if (exact.has(p)) return true;
    return false;
  };
  visit(sf);
  return findings;
}
