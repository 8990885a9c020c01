// Range look-up: GET /v1/lookup/range/{prefix} beside a plain exact look-up
// (GET /v1/identifiers/{identifier}) of the same server in the same run, autocannon on loopback,
// server in its own process with BENCH_IDENTIFIERS reputations in the index; and in-process, one
// range answer (bucket read, SHA-256 of each member, decoys, sort) beside one index look-up.
import { createHash } from 'node:crypto';
import autocannon from 'autocannon';
import { startBenchServer } from './support/start-bench-server.js';
import { ReputationIndex, scoreEvidence } from '../src/reputation/index.js';
import { hashIdentifier } from '../src/identity/index.js';
import { createAreaStates } from '../src/app-context.js';
import type { AppContext } from '../src/app-context.js';
import { lookupRange } from '../src/operations/reputation/range.js';

const N = Number(process.env.BENCH_IDENTIFIERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const keyOf = (i: number): string => `+86139${String(i).padStart(8, '0')}`;
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

// --- in-process ---
const now = Date.now();
const index = new ReputationIndex();
const rep = scoreEvidence(Array.from({ length: 5 }, (_, i) => ({ source: 'crowd' as const, category: 'fraud' as const, at: now - 1000, reporter: `r${i}` })), now);
for (let i = 0; i < N; i++) index.set(keyOf(i), rep);
const ctx = { index, hash: (c: string) => hashIdentifier('bench', c), area: createAreaStates() } as unknown as AppContext;
const prefixes = Array.from({ length: 4096 }, (_, i) => sha(keyOf((i * 7919) % N)).slice(0, 5));
lookupRange(ctx, prefixes[0]!); // builds the buckets
const CALLS = 200_000;
let sink = 0;
let t = performance.now();
for (let i = 0; i < CALLS; i++) sink += lookupRange(ctx, prefixes[i & 4095]!).entries.length;
const rangeRate = CALLS / ((performance.now() - t) / 1000);
t = performance.now();
for (let i = 0; i < CALLS; i++) sink += index.get(keyOf((i * 7919) % N))?.score ?? 0;
const getRate = CALLS / ((performance.now() - t) / 1000);

// --- HTTP ---
async function load(url: string, key: string, paths: string[]): Promise<autocannon.Result> {
  let i = 0;
  return autocannon({
    url,
    connections: 20,
    duration: SECONDS,
    headers: { authorization: `Bearer ${key}` },
    requests: [{ method: 'GET', setupRequest: (req: autocannon.Request) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
}
const srv = await startBenchServer(N);
const ids = Array.from({ length: 1024 }, (_, i) => keyOf((i * 7919) % N));
const rangePaths = ids.map((id) => `/v1/lookup/range/${sha(id).slice(0, 5)}`);
const exactPaths = ids.map((id) => `/v1/identifiers/${encodeURIComponent(id)}`);
await load(srv.url, srv.key, rangePaths); // warm-up (JIT, buckets)
await load(srv.url, srv.key, exactPaths);
const exact = await load(srv.url, srv.key, exactPaths);
const range = await load(srv.url, srv.key, rangePaths);
srv.stop();

console.log(`## Range look-up

${N.toLocaleString('en-US')} identifiers in the index, 1,024 different identifiers asked in turn.

| measure | range look-up | exact look-up | ratio |
|---|---:|---:|---:|
| HTTP requests/s (\`GET /v1/lookup/range/{prefix}\` vs \`GET /v1/identifiers/{identifier}\`, autocannon 20 connections, ${SECONDS} s, server in its own process) | ${fmt(range.requests.average)} | ${fmt(exact.requests.average)} | ${(range.requests.average / exact.requests.average).toFixed(2)} |
| HTTP p99 ms | ${range.latency.p99} | ${exact.latency.p99} | |
| in-process answers/s (\`lookupRange\` vs \`ReputationIndex.get\`, one core) | ${fmt(rangeRate)} | ${fmt(getRate)} | ${(rangeRate / getRate).toFixed(3)} |

errors: range ${range.errors + range.non2xx}, exact ${exact.errors + exact.non2xx} (checksum ${sink % 10})
`);
