// Where does callshield's per-request time go? (issue 17; not part of `npm run bench`.) Runs the
// minimal auth-check server and callshield's bench server side by side, alternating short autocannon
// rounds so that a changing machine load falls on all alike, and prints each route's server CPU µs
// per request (user + system from /proc) and requests per second, median over the rounds; `scr-off`
// is POST /v1/screen on a second server with the fast path off (CALLSHIELD_SCREEN_FAST_PATH=0).
//   node --import tsx bench/support/ab-http.ts [ROUNDS] [SECONDS] [OLD_CHECKOUT]
// With OLD_CHECKOUT (another checkout of callshield, its node_modules in place) its bench server runs
// beside today's, so that a change is measured against its parent in one run.
import autocannon from 'autocannon';
import { startBenchServer } from './start-bench-server.js';

const rounds = Number(process.argv[2] ?? 5);
const seconds = Number(process.argv[3] ?? 3);
const minimal = await startBenchServer(0, {}, './minimal-auth-server.ts');
const srv = await startBenchServer(Number(process.env.AB_IDENTIFIERS ?? 100_000));
// The same server with the screening fast path off (src/api/screen-fast-path.ts): fastify's pipeline only.
const slow = await startBenchServer(Number(process.env.AB_IDENTIFIERS ?? 100_000), { CALLSHIELD_SCREEN_FAST_PATH: '0' });
const body = JSON.stringify({ caller: '+8613900004242', callee: '+8613800138000', channel: 'pstn' });
const targets = [
  { name: 'minimal', server: minimal, path: '/v1/screen' },
  { name: 'bare', server: srv, path: '/v1/bare' },
  { name: 'screen', server: srv, path: '/v1/screen' },
  { name: 'scr-off', server: slow, path: '/v1/screen' },
];
const oldCheckout = process.argv[4];
const old = oldCheckout ? await startBenchServer(Number(process.env.AB_IDENTIFIERS ?? 100_000), {}, `${oldCheckout}/bench/support/bench-server.ts`) : undefined;
if (old) targets.push({ name: 'old-bare', server: old, path: '/v1/bare' }, { name: 'old-scr', server: old, path: '/v1/screen' });
for (const t of targets) {
  const res = await fetch(t.server.url + t.path, { method: 'POST', headers: { authorization: `Bearer ${t.server.key}`, 'content-type': 'application/json' }, body });
  const text = await res.text();
  console.log(t.name, res.status, [...res.headers].map(([k, v]) => `${k}: ${v}`).join(' | '), `body ${text.length} B`);
}
const run = (t: (typeof targets)[number], s: number) =>
  autocannon({ url: t.server.url + t.path, method: 'POST', connections: 10, duration: s, headers: { authorization: `Bearer ${t.server.key}`, 'content-type': 'application/json' }, body });
for (const t of targets) await run(t, 2); // warm-up
const results = new Map<string, { cpu: number[]; rps: number[] }>(targets.map((t) => [t.name, { cpu: [], rps: [] }]));
for (let r = 0; r < rounds; r++) {
  for (const t of targets) {
    const before = t.server.cpuSeconds();
    const out = await run(t, seconds);
    const cpu = ((t.server.cpuSeconds() - before) * 1e6) / Math.max(1, out.requests.total);
    results.get(t.name)!.cpu.push(cpu);
    results.get(t.name)!.rps.push(out.requests.average);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = results.get('minimal')!;
for (const [name, r] of results) {
  console.log(`${name.padEnd(8)} cpu µs/req ${median(r.cpu).toFixed(1).padStart(6)} (${r.cpu.map((x) => x.toFixed(0)).join(' ')})  req/s ${median(r.rps).toFixed(0).padStart(6)}  ratio rps ${(median(r.rps) / median(base.rps)).toFixed(2)} cpu ${(median(base.cpu) / median(r.cpu)).toFixed(2)}`);
}
minimal.stop();
srv.stop();
slow.stop();
old?.stop();
