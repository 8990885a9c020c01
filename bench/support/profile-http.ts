// Profiling aid for an HTTP route (not part of `npm run bench`): runs bench-server.ts under
// --cpu-prof, loads one route with autocannon, and leaves the profile in BENCH_CPU_PROF (a folder).
//   BENCH_CPU_PROF=/tmp/prof node --import tsx bench/support/profile-http.ts /v1/screen
// BENCH_SERVER_SCRIPT=./minimal-auth-server.ts profiles the minimal baseline server instead.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const path = process.argv[2] ?? '/v1/screen';
const dir = process.env.BENCH_CPU_PROF ?? '/tmp/callshield-prof';
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', fileURLToPath(new URL(process.env.BENCH_SERVER_SCRIPT ?? './bench-server.ts', import.meta.url)), '100000'], { stdio: ['ignore', 'pipe', 'inherit'] });
const { url, key } = JSON.parse(await new Promise<string>((r) => createInterface({ input: child.stdout! }).once('line', r))) as { url: string; key: string };
const body = process.env.BENCH_BODY ?? JSON.stringify({ caller: '+8613900004242', callee: '+8613800138000', channel: 'pstn' });
const run = () => autocannon({ url: url + path, method: 'POST', connections: 10, duration: Number(process.env.BENCH_SECONDS ?? 8), headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
await run();
const r = await run();
console.log(JSON.stringify({ rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx }));
child.kill('SIGINT');
await new Promise((res) => child.once('exit', res));
console.log(`profile in ${dir}`);
