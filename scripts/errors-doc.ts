// Regenerates docs/errors.md from src/errors.ts (the catalogue and its area comments):
// `node --import tsx scripts/errors-doc.ts`. test/unit/errors.test.ts fails when they drift.
import { readFileSync, writeFileSync } from 'node:fs';

const src = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8');
const out = [
  '# Error codes',
  '',
  'Every error callshield returns is one of these. Over HTTP it is an RFC 9457 problem document',
  '(`application/problem+json`) whose `code` is the code below, `type` is',
  '`https://callshield.dev/problems/<code in lower case with dashes>`, and `field` names the input at fault.',
  'The CLI prints `callshield: CODE (field): detail` and exits 2 for input errors, 1 for our own.',
  'The titles below are the English ones; with `Accept-Language: zh-CN` or `zh-TW` the title and detail',
  'come from the Chinese catalogues in src/i18n/messages (docs/i18n.md); the code never changes.',
  '',
];
for (const line of src.split('\n')) {
  const area = /^\s*\/\/ --- (.*) ---/.exec(line);
  if (area) {
    out.push('', `## ${area[1]}`, '', '| code | status | title |', '|---|---:|---|');
    continue;
  }
  const entry = /^\s*([A-Z_]+): \{ status: (\d+), title: '(.*?)'/.exec(line);
  if (entry) out.push(`| \`${entry[1]}\` | ${entry[2]} | ${entry[3]} |`);
}
writeFileSync(new URL('../docs/errors.md', import.meta.url), `${out.join('\n')}\n`);
