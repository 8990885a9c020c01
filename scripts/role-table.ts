// Prints the README's role × endpoint table from the live route list, so the two cannot drift:
// `node --import tsx scripts/role-table.ts`. test/integration/role-matrix.test.ts checks each cell.
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { openApp } from '../src/app-context.js';
import { buildServer } from '../src/api/server.js';
import { extraRoutes } from '../src/api/extra-routes.js';
import { ROLES, allows } from '../src/auth/index.js';

const ctx = await openApp(loadConfig({}, { dbPath: ':memory:', logLevel: 'silent' }), { logger: pino({ level: 'silent' }) });
const { app, routes } = await buildServer(ctx, extraRoutes);
const lines = [`| endpoint | ${ROLES.join(' | ')} |`, `|---|${ROLES.map(() => ':-:').join('|')}|`];
for (const r of [...routes].sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method))) {
  lines.push(`| \`${r.method} ${r.url}\` | ${ROLES.map((role) => (allows(role, r.permission) ? '✓' : '')).join(' | ')} |`);
}
console.log(lines.join('\n'));
await app.close();
await ctx.close();
