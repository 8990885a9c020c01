// Generates src/i18n/messages/zh-TW.ts from zh-CN.ts with OpenCC (simplified → Traditional,
// Taiwan usage: the "twp" table). opencc-js is not a dependency of callshield: install it elsewhere, point NODE_PATH at it,
//   npm install --prefix /tmp/opencc opencc-js@1.4.2 && NODE_PATH=/tmp/opencc/node_modules node scripts/i18n-zh-tw.mjs
// and commit the result; test/unit/i18n-catalogue.test.ts fails when zh-TW.ts is not the
// conversion of the current zh-CN.ts (it compares the code around the texts).
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const OpenCC = require('opencc-js');
const convert = OpenCC.Converter({ from: 'cn', to: 'twp' });
const source = readFileSync(new URL('../src/i18n/messages/zh-CN.ts', import.meta.url), 'utf8');
const body = source
  .split('\n')
  .filter((line, i) => !(i < 2 && line.startsWith('//')))
  .join('\n');
const out =
  '// 繁體中文（zh-TW、zh-HK、zh-Hant）。由 scripts/i18n-zh-tw.mjs 從 zh-CN.ts 以 OpenCC（s2twp）轉換生成，\n' +
  '// 請勿手動修改：改 zh-CN.ts 後重新生成（見 docs/i18n.md）。\n' +
  convert(body).replace('export const zhCN: Messages', 'export const zhTW: Messages').replace("locale: 'zh-CN'", "locale: 'zh-TW'");
writeFileSync(new URL('../src/i18n/messages/zh-TW.ts', import.meta.url), out);
console.log('wrote src/i18n/messages/zh-TW.ts');
