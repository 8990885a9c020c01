import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertificateResolver } from '../../../src/stir/certificate-resolver.js';
import { createHttpFetcher, parseCacheControl } from '../../../src/stir/fetch-certificate.js';
import { createSigner } from '../../../src/stir/create-signer.js';
import { buildPassportPayload } from '../../../src/stir/passport-sign.js';
import { verifyIdentity } from '../../../src/stir/verify-identity.js';
import { getTestPki, startLoopbackServer } from './fixtures.js';

test('parseCacheControl reads max-age and no-store', () => {
  assert.deepEqual(parseCacheControl('public, max-age=300'), { maxAgeSeconds: 300, noStore: false });
  assert.deepEqual(parseCacheControl('no-store'), { maxAgeSeconds: undefined, noStore: true });
  assert.deepEqual(parseCacheControl('max-age=abc'), { maxAgeSeconds: undefined, noStore: false });
  assert.deepEqual(parseCacheControl(null), { maxAgeSeconds: undefined, noStore: false });
});

test('x5u over loopback http: fetched with allowHttp, cached for max-age, refetched after it', async (t) => {
  const { ca, leaf } = await getTestPki();
  const server = await startLoopbackServer((req, res) => {
    if (req.url === '/cert.pem') {
      res.writeHead(200, { 'content-type': 'application/x-pem-file', 'cache-control': 'max-age=30' });
      res.end(leaf.chainPem);
    } else {
      res.writeHead(404).end();
    }
  });
  t.after(() => server.close());
  const x5u = `${server.url}/cert.pem`;
  const signer = createSigner({ spc: '1234', x5u, privateKeyPem: leaf.privateKeyPem, certificatePem: leaf.certificatePem });
  const resolver = createCertificateResolver({ fetcher: createHttpFetcher({ fetch, allowHttp: true }), trustAnchorsPem: ca.certificatePem });
  const verifyAt = async (now: number) => {
    const identity = signer.signIdentity(buildPassportPayload({ attest: 'A', orig: '12155551212', dest: ['12155551213'], iat: Math.floor(now / 1000), origid: 'o' }));
    return verifyIdentity(identity, { now }, { certificates: resolver });
  };
  const t0 = Date.now();
  assert.equal((await verifyAt(t0)).verstat, 'TN-Validation-Passed');
  assert.equal((await verifyAt(t0 + 29_000)).verstat, 'TN-Validation-Passed');
  assert.equal(server.requests.length, 1, 'cached within max-age');
  assert.equal((await verifyAt(t0 + 31_000)).verstat, 'TN-Validation-Passed');
  assert.equal(server.requests.length, 2, 'refetched after max-age');
});

test('no-store responses are never cached', async (t) => {
  const { ca, leaf } = await getTestPki();
  const server = await startLoopbackServer((_req, res) => {
    res.writeHead(200, { 'cache-control': 'no-store' });
    res.end(leaf.chainPem);
  });
  t.after(() => server.close());
  const resolver = createCertificateResolver({ fetcher: createHttpFetcher({ fetch, allowHttp: true }), trustAnchorsPem: ca.certificatePem });
  const now = Date.now();
  await resolver.resolve(`${server.url}/c.pem`, now);
  await resolver.resolve(`${server.url}/c.pem`, now);
  assert.equal(server.requests.length, 2);
  assert.equal(resolver.cache.size, 0);
});

test('http:// is refused without allowHttp, and so is anything but http(s)', async (t) => {
  const server = await startLoopbackServer((_req, res) => res.end('x'));
  t.after(() => server.close());
  const fetcher = createHttpFetcher({ fetch });
  await assert.rejects(fetcher.fetchCertificate(`${server.url}/c.pem`), { code: 'STIR_CERT_URL_PLAIN_HTTP', message: /plain http is refused.*https/ });
  await assert.rejects(createHttpFetcher({ fetch, allowHttp: true }).fetchCertificate('file:///etc/passwd'), { code: 'STIR_CERTIFICATE_FETCH_FAILED' });
  assert.equal(server.requests.length, 0);
});

test('a refused http x5u makes the verifier answer 436', async () => {
  const { ca, leaf } = await getTestPki();
  const x5u = 'http://127.0.0.1:9/cert.pem';
  const signer = createSigner({ spc: '1234', x5u, privateKeyPem: leaf.privateKeyPem, certificatePem: leaf.certificatePem });
  const now = Date.now();
  const identity = signer.signIdentity(buildPassportPayload({ attest: 'A', orig: '1', dest: ['2'], iat: Math.floor(now / 1000), origid: 'o' }));
  const resolver = createCertificateResolver({ fetcher: createHttpFetcher({ fetch }), trustAnchorsPem: ca.certificatePem });
  const result = await verifyIdentity(identity, { now }, { certificates: resolver });
  assert.equal(result.reasonCode, 436);
});

test('oversized bodies, error statuses, redirects and slow servers fail cleanly', async (t) => {
  const server = await startLoopbackServer((req, res) => {
    if (req.url === '/big') {
      res.writeHead(200);
      res.end('x'.repeat(100_000));
    } else if (req.url === '/big-chunked') {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 20; i++) res.write('y'.repeat(10_000));
      res.end();
    } else if (req.url === '/redirect') {
      res.writeHead(302, { location: '/elsewhere' }).end();
    } else if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 1000).unref();
    } else {
      res.writeHead(500).end();
    }
  });
  t.after(() => server.close());
  const fetcher = createHttpFetcher({ fetch, allowHttp: true, timeoutMs: 200, maxBytes: 64 * 1024 });
  // Each failure has its own code (issue 13: say which).
  const codes: Record<string, string> = {
    '/big': 'STIR_CERT_URL_TOO_LARGE',
    '/big-chunked': 'STIR_CERT_URL_TOO_LARGE',
    '/redirect': 'STIR_CERT_URL_REDIRECT',
    '/slow': 'STIR_CERT_URL_TIMEOUT',
    '/error': 'STIR_CERTIFICATE_FETCH_FAILED',
  };
  for (const path of ['/big', '/big-chunked', '/redirect', '/slow', '/error']) {
    await assert.rejects(fetcher.fetchCertificate(`${server.url}${path}`), { code: codes[path] }, path);
  }
});
