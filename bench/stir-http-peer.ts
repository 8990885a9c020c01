// HTTP verification beside the peer: starts `secsipidx -http-srv` and measures its POST /v1/check
// rate with autocannon on a given set of Identity values. `benchHttpEndpoint` is the same runner for
// any endpoint, so callshield's POST /stir/v1/verification can be measured with the same tokens in
// the same run (issue 3: "HTTP verification beside secsipidx -http-srv"). Both sides get a warm x5u
// cache (secsipidx: -cache-dir) and verify the chain against the same CA file.
//
// Standalone: node --import tsx bench/stir-http-peer.ts   (prints secsipidx's rate only)
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createSigner } from '../src/stir/create-signer.js';
import { buildPassportPayload } from '../src/stir/passport-sign.js';
import { createShakenCertificate, createTestCa } from '../src/stir/test-pki.js';

export interface HttpBenchResult {
  name: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Responses that were not 2xx (for secsipidx a failed check is a 500, so this must stay 0). */
  non2xx: number;
  errors: number;
}

export interface HttpEndpointBenchOptions {
  name: string;
  url: string;
  /** One request body per token; autocannon cycles through them on every connection. */
  bodies: readonly string[];
  headers?: Record<string, string>;
  durationSeconds?: number;
  connections?: number;
}

export async function benchHttpEndpoint(options: HttpEndpointBenchOptions): Promise<HttpBenchResult> {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: options.headers ?? {},
    duration: options.durationSeconds ?? 5,
    connections: options.connections ?? 16,
    requests: options.bodies.map((body) => ({ method: 'POST' as const, body })),
  });
  return {
    name: options.name,
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Tokens, CA file and a loopback x5u server for an HTTP comparison; call close() when done. */
export interface StirHttpFixture {
  caFile: string;
  x5u: string;
  identities: string[];
  /** ATIS-1000082 verification request bodies carrying the same identities, for our route. */
  verificationBodies: string[];
  close(): Promise<void>;
}

export async function createStirHttpFixture(count = 256): Promise<StirHttpFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'callshield-stir-bench-'));
  const ca = await createTestCa();
  const leaf = await createShakenCertificate({ ca, spc: '1234' });
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.certificatePem);
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-pem-file', 'cache-control': 'max-age=3600' }).end(leaf.chainPem);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const x5u = `http://127.0.0.1:${(server.address() as AddressInfo).port}/shaken-1234.pem`;
  const signer = createSigner({ spc: '1234', x5u, privateKeyPem: leaf.privateKeyPem, certificatePem: leaf.certificatePem });
  const iat = Math.floor(Date.now() / 1000);
  const identities: string[] = [];
  const verificationBodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const dest = `1215555${String(1000 + i)}`;
    const identity = signer.signIdentity(buildPassportPayload({ attest: 'A', orig: '12155551212', dest: [dest], iat, origid: `4b1c2d3e-0000-4000-8000-${String(i).padStart(12, '0')}` }));
    identities.push(identity);
    verificationBodies.push(JSON.stringify({ verificationRequest: { from: { tn: '12155551212' }, to: { tn: [dest] }, time: iat, identity } }));
  }
  return {
    caFile,
    x5u,
    identities,
    verificationBodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function hasSecsipidx(): boolean {
  return spawnSync('sh', ['-c', 'command -v secsipidx']).status === 0;
}

/**
 * Starts `secsipidx -http-srv 127.0.0.1:PORT -expire 60` (chain checked against caFile, x5u cached
 * in a temporary -cache-dir), warms its cache with one request, then measures POST /v1/check.
 */
export async function benchSecsipidxHttp(options: {
  identities: readonly string[];
  caFile: string;
  durationSeconds?: number;
  connections?: number;
}): Promise<HttpBenchResult> {
  const port = await freePort();
  const cacheDir = mkdtempSync(join(tmpdir(), 'secsipidx-cache-'));
  const child: ChildProcess = spawn(
    'secsipidx',
    ['-http-srv', `127.0.0.1:${port}`, '-expire', '60', '-ca-file', options.caFile, '-cert-verify', '5', '-cache-dir', cacheDir, '-cache-expire', '3600'],
    { stdio: 'ignore' },
  );
  try {
    await waitForPort(port, 5000);
    const url = `http://127.0.0.1:${port}/v1/check`;
    const warm = await fetch(url, { method: 'POST', body: options.identities[0] ?? '' });
    const text = (await warm.text()).trim();
    if (warm.status !== 200) throw new Error(`secsipidx refused the warm-up token: ${warm.status} ${text}`);
    return await benchHttpEndpoint({
      name: 'secsipidx -http-srv POST /v1/check',
      url,
      bodies: options.identities,
      durationSeconds: options.durationSeconds,
      connections: options.connections,
    });
  } finally {
    child.kill('SIGTERM');
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/**
 * A bare node:http server around handleVerificationRequest (no fastify, no auth): a preview of our
 * side until the real route exists, and a floor for what the route adds.
 */
export async function startBareVerificationServer(fixture: StirHttpFixture): Promise<{ url: string; close(): Promise<void> }> {
  const { readFileSync } = await import('node:fs');
  const { createCertificateResolver } = await import('../src/stir/certificate-resolver.js');
  const { createHttpFetcher } = await import('../src/stir/fetch-certificate.js');
  const { handleVerificationRequest } = await import('../src/stir/verification-request.js');
  const certificates = createCertificateResolver({ fetcher: createHttpFetcher({ fetch, allowHttp: true }), trustAnchorsPem: readFileSync(fixture.caFile, 'utf8') });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handleVerificationRequest(Buffer.concat(chunks).toString('utf8'), { certificates }, Date.now()).then((out) => {
        res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stir/v1/verification`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!hasSecsipidx()) {
    console.log('secsipidx is not on PATH (apt-get install -y secsipidx); skipped');
  } else {
    const fixture = await createStirHttpFixture();
    const ours = await startBareVerificationServer(fixture);
    try {
      // Our failures are 200s with a reasoncode, so check a token really passes before timing.
      const warm = await fetch(ours.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: fixture.verificationBodies[0] ?? '' });
      const warmBody = await warm.text();
      if (!warmBody.includes('"TN-Validation-Passed"')) throw new Error(`our verifier refused the warm-up token: ${warmBody}`);
      const peer = await benchSecsipidxHttp({ identities: fixture.identities, caFile: fixture.caFile });
      const bare = await benchHttpEndpoint({
        name: 'callshield handleVerificationRequest on bare node:http',
        url: ours.url,
        bodies: fixture.verificationBodies,
        headers: { 'content-type': 'application/json' },
      });
      console.log('| server | requests/s | p50 ms | p99 ms | non-2xx | errors |\n| --- | ---: | ---: | ---: | ---: | ---: |');
      for (const r of [peer, bare]) {
        console.log(`| ${r.name} | ${Math.round(r.requestsPerSecond)} | ${r.latencyP50Ms} | ${r.latencyP99Ms} | ${r.non2xx} | ${r.errors} |`);
      }
      console.log(`\nratio callshield / secsipidx: ${(bare.requestsPerSecond / peer.requestsPerSecond).toFixed(2)}`);
    } finally {
      await ours.close();
      await fixture.close();
    }
  }
}
