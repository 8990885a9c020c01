// Issue 13 part 2 item 6: an x5u that cannot be used says why — plain http refused, redirect, too
// large, timeout, TLS error, HTTP status, bad certificate — in the verification's reason text and
// with a distinct code, each against a loopback server of its own kind (tokens signed by secsipidx,
// certificates by openssl), through POST /stir/v1/verification and POST /v1/screen.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { HAVE_PEERS, createOpensslPki, removePki, secsipidxSign, startLoopbackHttp } from '../helpers/openssl-shaken-pki.js';
import type { OpensslLeaf, OpensslShakenPki } from '../helpers/openssl-shaken-pki.js';

const ORIG = '12155551212';
const DEST = '12155551213';

describe('x5u failures say which', { skip: HAVE_PEERS ? false : 'secsipidx or openssl is not on PATH' }, () => {
  let pki: OpensslShakenPki;
  let leaf: OpensslLeaf;
  let host: Awaited<ReturnType<typeof startLoopbackHttp>>;
  let tls: HttpsServer;
  let tlsBase: string;
  let t: TestServer;
  let httpsOnly: TestServer;
  const held: Array<{ destroy(): void }> = [];

  before(async () => {
    pki = createOpensslPki();
    leaf = pki.leaf('1234');
    const big = Buffer.alloc(100 * 1024, 'A');
    host = await startLoopbackHttp({
      '/leaf.pem': (_q, res) => res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(leaf.certificatePem),
      '/redirect.pem': (_q, res) => res.writeHead(302, { location: '/leaf.pem' }).end(),
      '/big.pem': (_q, res) => res.writeHead(200, { 'content-length': String(big.length) }).end(big),
      '/big-chunked.pem': (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/x-pem-file' });
        for (let i = 0; i < 10; i++) res.write(big.subarray(0, 10 * 1024));
        res.end();
      },
      '/slow.pem': (req) => held.push(req.socket), // never answers
      '/garbage.pem': (_q, res) => res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end('this is not a certificate'),
      '/missing.pem': (_q, res) => res.writeHead(404).end(),
    });
    // An https server whose certificate (openssl, self-signed) no client trusts.
    spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'tls.key', '-out', 'tls.pem', '-subj', '/CN=127.0.0.1', '-days', '1'], { cwd: pki.dir });
    tls = createHttpsServer({ key: readFileSync(join(pki.dir, 'tls.key')), cert: readFileSync(join(pki.dir, 'tls.pem')) }, (_q, res) => res.writeHead(200).end(leaf.certificatePem));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    tlsBase = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    t = await startTestServer({ stirAllowHttpX5u: true, stirCaFile: pki.caFile });
    httpsOnly = await startTestServer({ stirAllowHttpX5u: false, stirCaFile: pki.caFile });
  });
  after(async () => {
    for (const s of held) s.destroy();
    await t?.close();
    await httpsOnly?.close();
    await host?.close();
    tls?.closeAllConnections();
    tls?.close();
    if (pki) removePki(pki);
  });

  async function verification(server: TestServer, x5u: string): Promise<{ verstat: string; reasoncode?: number; reasondesc?: string }> {
    const identity = secsipidxSign({ orig: ORIG, dest: DEST, x5u, keyFile: leaf.keyFile });
    const res = await server.call('POST', '/stir/v1/verification', { role: 'carrier', body: { verificationRequest: { from: { tn: ORIG }, to: { tn: [DEST] }, time: Math.floor(Date.now() / 1000), identity } } });
    assert.equal(res.status, 200, res.text);
    return res.body.verificationResponse;
  }

  async function screenFailure(server: TestServer, x5u: string): Promise<string | undefined> {
    const identity = secsipidxSign({ orig: ORIG, dest: DEST, x5u, keyFile: leaf.keyFile });
    const res = await server.call('POST', '/v1/screen', { role: 'carrier', body: { caller: `+${ORIG}`, callee: `+${DEST}`, channel: 'pstn', identity } });
    assert.equal(res.status, 200, res.text);
    return res.body.verification?.failure;
  }

  const cases: Array<{ name: string; url: () => string; server?: () => TestServer; code: number; desc: RegExp; failure: string }> = [
    { name: 'plain http refused', url: () => `${host.base}/leaf.pem`, server: () => httpsOnly, code: 436, desc: /plain http is refused/, failure: 'STIR_CERT_URL_PLAIN_HTTP' },
    { name: 'redirect', url: () => `${host.base}/redirect.pem`, code: 436, desc: /redirect.*not followed/, failure: 'STIR_CERT_URL_REDIRECT' },
    { name: 'too large (Content-Length)', url: () => `${host.base}/big.pem`, code: 436, desc: /larger than 65536 bytes/, failure: 'STIR_CERT_URL_TOO_LARGE' },
    { name: 'too large (chunked)', url: () => `${host.base}/big-chunked.pem`, code: 436, desc: /larger than 65536 bytes/, failure: 'STIR_CERT_URL_TOO_LARGE' },
    { name: 'timeout', url: () => `${host.base}/slow.pem`, code: 436, desc: /timed out/, failure: 'STIR_CERT_URL_TIMEOUT' },
    { name: 'TLS error', url: () => `${tlsBase}/leaf.pem`, code: 436, desc: /TLS connection failed/, failure: 'STIR_CERT_URL_TLS' },
    { name: 'HTTP 404', url: () => `${host.base}/missing.pem`, code: 436, desc: /answered HTTP 404/, failure: 'STIR_CERTIFICATE_FETCH_FAILED' },
    { name: 'bad certificate', url: () => `${host.base}/garbage.pem`, code: 436, desc: /\(bad certificate\)$/, failure: 'STIR_INVALID_CERTIFICATE' },
  ];

  const seen = new Set<string>();
  for (const c of cases) {
    it(`${c.name}: ${c.code} with its own text, and ${c.failure}`, async () => {
      const server = c.server?.() ?? t;
      const r = await verification(server, c.url());
      assert.equal(r.verstat, 'No-TN-Validation');
      assert.equal(r.reasoncode, c.code);
      assert.match(r.reasondesc ?? '', c.desc);
      assert.match(r.reasondesc ?? '', /^Failed to dereference the 'info' URI: |bad certificate/);
      // The URL is distinct per case, so a second token is not served from a cached failure.
      assert.equal(await screenFailure(server, `${c.url()}${c.url().includes('?') ? '&' : '?'}again=1`), c.failure);
      seen.add((r.reasondesc ?? '').replace(/\s*\(https?:[^)]*\)\s*$/, ''));
    });
  }

  it('the texts differ from one another', () => {
    assert.equal(seen.size, cases.length, [...seen].join('\n'));
  });

  it('a good x5u on the same host still passes (the failures are not the certificate\'s)', async () => {
    const r = await verification(t, `${host.base}/leaf.pem`);
    assert.equal(r.verstat, 'TN-Validation-Passed', r.reasondesc);
  });
});
