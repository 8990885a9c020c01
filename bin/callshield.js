#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript run through tsx, so `npx callshield` works on a fresh clone
// without a build step.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
