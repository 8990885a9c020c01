// STIR/SHAKEN verification over HTTP: callshield's POST /stir/v1/verification (the full service:
// API key check, ATIS-1000082 parsing, verification with a warm certificate cache, traceback record
// and attestation history) beside `secsipidx -http-srv` POST /v1/check (no authentication) on the
// same tokens, the same CA file and the same loopback x5u, both servers in their own processes and
// autocannon in this one. Target (issue 3): faster than secsipidx. Prints "skipped" for the peer
// when secsipidx is not installed (apt-get install -y secsipidx).
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { benchHttpEndpoint, benchSecsipidxHttp, createStirHttpFixture, hasSecsipidx } from './stir-http-peer.js';
import type { HttpBenchResult } from './stir-http-peer.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = 3;
const CONNECTIONS = 16;

function median(runs: HttpBenchResult[]): HttpBenchResult | undefined {
  return [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(runs.length / 2)];
}

async function startServer(caFile: string): Promise<{ url: string; key: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./support/stir-bench-server.ts', import.meta.url)), caFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`stir bench server exited ${code}`)));
  });
  const { url, key } = JSON.parse(line) as { url: string; key: string };
  return { url, key, stop: () => child.kill() };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const row = (r: HttpBenchResult): string => `| ${r.name} | ${fmt(r.requestsPerSecond)} | ${r.latencyP50Ms} | ${r.latencyP99Ms} | ${r.non2xx + r.errors} |`;

// Start the server before signing: the tokens are fresh for 60 s (RFC 8224 §6.2.1) on both sides.
const fixture = await createStirHttpFixture();
const srv = await startServer(fixture.caFile);
try {
  const url = `${srv.url}/stir/v1/verification`;
  const headers = { authorization: `Bearer ${srv.key}`, 'content-type': 'application/json' };
  // Our failures are 200s with a reason code: check a token really passes (and warm the cache).
  const warm = await fetch(url, { method: 'POST', headers, body: fixture.verificationBodies[0] ?? '' });
  const warmText = await warm.text();
  if (!warmText.includes('"TN-Validation-Passed"')) throw new Error(`callshield refused the warm-up token: ${warm.status} ${warmText}`);
  await benchHttpEndpoint({ name: 'warm-up', url, bodies: fixture.verificationBodies, headers, durationSeconds: 1, connections: CONNECTIONS });

  // Alternate the two in rounds and keep each side's median round, so that load from other
  // processes on a shared machine hits both alike.
  const peerRuns: HttpBenchResult[] = [];
  const ourRuns: HttpBenchResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (hasSecsipidx()) peerRuns.push(await benchSecsipidxHttp({ identities: fixture.identities, caFile: fixture.caFile, durationSeconds: SECONDS, connections: CONNECTIONS }));
    ourRuns.push(await benchHttpEndpoint({ name: 'callshield POST /stir/v1/verification', url, bodies: fixture.verificationBodies, headers, durationSeconds: SECONDS, connections: CONNECTIONS }));
  }
  const peer = median(peerRuns);
  const ours = median(ourRuns) as HttpBenchResult;
  // A last request must still pass: the whole run stayed inside the tokens' 60 s.
  const last = await (await fetch(url, { method: 'POST', headers, body: fixture.verificationBodies[1] ?? '' })).text();
  const stillFresh = last.includes('"TN-Validation-Passed"');

  console.log(`## STIR/SHAKEN over HTTP

Verification of ${fixture.identities.length} distinct tokens (one certificate, warm cache, chain to the same CA file), autocannon
${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s per server (median round shown), servers in their own
processes on loopback, on ${availableParallelism()} CPUs shared with the load generator. Ours includes the API key check,
the ATIS-1000082 request and response, the traceback record and the attestation history; secsipidx checks the token only.

| server | requests/s | p50 ms | p99 ms | errors + non-2xx |
| --- | ---: | ---: | ---: | ---: |
${peer ? row(peer) : '| secsipidx -http-srv POST /v1/check | skipped (not installed) | | | |'}
${row(ours)}
${peer ? `\nratio callshield / secsipidx: ${(ours.requestsPerSecond / peer.requestsPerSecond).toFixed(2)} (target: > 1)` : '\nratio callshield / secsipidx: skipped (secsipidx is not on PATH)'}
${stillFresh ? '' : '\nwarning: the tokens went stale during the run; the figures above include refusals'}
`);
} finally {
  srv.stop();
  await fixture.close();
}
