#!/usr/bin/env node
// The `callshield` command runs the compiled build (dist/, made by `npm run build`, which
// `npm install` runs): no TypeScript compiler at run time.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('callshield is not built: run `npm run build` (or `npm install`, which builds it)');
  process.exit(1);
}
await import(main.href);
