// The framework-side cost of POST /v1/screen without sockets (issue 17; not part of `npm run bench`):
// callshield's server and a minimal Fastify app with an auth-header check, both driven in this
// process through fastify's inject (light-my-request, the same cost for both), in alternating
// rounds; prints CPU µs per request. The socket's own cost (HTTP parsing, writev) is left out, so
// what remains is what callshield adds per request.
//   node --import tsx bench/support/inject-screen.ts [ROUNDS] [REQUESTS]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import { buildServer } from '../../src/api/server.js';
import { extraRoutes } from '../../src/api/extra-routes.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { scoreEvidence } from '../../src/reputation/index.js';

const rounds = Number(process.argv[2] ?? 5);
const n = Number(process.argv[3] ?? 20_000);
const dir = mkdtempSync(join(tmpdir(), 'callshield-inject-'));
const ctx = await openApp(loadConfig({}, { dbPath: join(dir, 'bench.db'), logLevel: 'silent', rateLimit: 1_000_000_000 }), { logger: pino({ level: 'silent' }) });
const now = Date.now();
ctx.index.set('+8613900004242', scoreEvidence(Array.from({ length: 42 }, (_, i) => ({ source: 'crowd' as const, category: 'fraud' as const, at: now - (i % 14) * 86_400_000 - 1000, reporter: `s${i}` })), now));
const { key } = await createApiKey(ctx, { org: 'inject-bench', role: 'carrier' }, CLI_OPERATOR);
const { app } = await buildServer(ctx, [...extraRoutes, async (a) => void a.post('/v1/bare', { config: { permission: 'screen' } }, async () => ({ ok: true }))]);
const minimal = Fastify();
minimal.post('/v1/*', async (request, reply) => {
  if (request.headers.authorization !== 'Bearer k') return reply.code(401).send({ error: 'unauthorised' });
  return { action: 'allow', score: 0 };
});
await minimal.ready();
const payload = JSON.stringify({ caller: '+8613900004242', callee: '+8613800138000', channel: 'pstn' });
const targets = [
  { name: 'minimal', app: minimal, url: '/v1/screen', auth: 'Bearer k' },
  { name: 'bare', app, url: '/v1/bare', auth: `Bearer ${key}` },
  { name: 'screen', app, url: '/v1/screen', auth: `Bearer ${key}` },
];
const once = async (t: (typeof targets)[number]): Promise<number> => {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const r = await t.app.inject({ method: 'POST', url: t.url, headers: { authorization: t.auth, 'content-type': 'application/json' }, payload });
    if (r.statusCode !== 200) throw new Error(`${t.name}: ${r.statusCode} ${r.body}`);
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
};
const only = process.env.INJECT_ONLY;
if (only) targets.splice(0, targets.length, ...targets.filter((t) => t.name === only));
for (const t of targets) await once(t); // warm-up
const results = new Map(targets.map((t) => [t.name, [] as number[]]));
for (let r = 0; r < rounds; r++) for (const t of targets) results.get(t.name)!.push(await once(t));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, xs] of results) console.log(`${name.padEnd(8)} ${median(xs).toFixed(1).padStart(6)} µs/request (${xs.map((x) => x.toFixed(1)).join(' ')})`);
await app.close();
ctx.close?.();
