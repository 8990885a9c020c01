// Shared test PKI and fakes for the STIR/SHAKEN unit tests (not a test file itself).
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCertificateResolver } from '../../../src/stir/certificate-resolver.js';
import type { CertificateResolverOptions } from '../../../src/stir/certificate-resolver.js';
import { createSigner } from '../../../src/stir/create-signer.js';
import type { Signer } from '../../../src/stir/create-signer.js';
import type { CertificateFetcher, CrlFetcher, FetchedDocument } from '../../../src/stir/fetch-certificate.js';
import { createShakenCertificate, createTestCa } from '../../../src/stir/test-pki.js';
import type { ShakenCertificate, TestCa } from '../../../src/stir/test-pki.js';
import { seededRandom } from '../../../src/seeded-random.js';

export const X5U = 'https://cr.example.test/shaken-1234.pem';

export interface TestPki {
  ca: TestCa;
  leaf: ShakenCertificate;
  signer: Signer;
}

let cached: Promise<TestPki> | undefined;

export function getTestPki(): Promise<TestPki> {
  cached ??= (async () => {
    const ca = await createTestCa();
    const leaf = await createShakenCertificate({ ca, spc: '1234' });
    const signer = createSigner({ spc: '1234', x5u: X5U, privateKeyPem: leaf.privateKeyPem, certificatePem: leaf.certificatePem });
    return { ca, leaf, signer };
  })();
  return cached;
}

/** A fetcher serving fixed documents by URL and counting requests. */
export function createFakeFetcher(
  documents: Record<string, string | (() => string)>,
  freshness: Partial<Omit<FetchedDocument, 'body'>> = {},
): CertificateFetcher & CrlFetcher & { calls: string[] } {
  const calls: string[] = [];
  const serve = async (url: string): Promise<FetchedDocument> => {
    calls.push(url);
    const doc = documents[url];
    if (doc === undefined) throw new Error(`no document at ${url}`);
    return { body: Buffer.from(typeof doc === 'function' ? doc() : doc), maxAgeSeconds: freshness.maxAgeSeconds, noStore: freshness.noStore ?? false };
  };
  return { calls, fetchCertificate: serve, fetchCrl: serve };
}

export async function createTestResolver(overrides: Partial<CertificateResolverOptions> = {}) {
  const { ca, leaf } = await getTestPki();
  const fetcher = createFakeFetcher({ [X5U]: leaf.chainPem });
  const resolver = createCertificateResolver({ fetcher, trustAnchorsPem: ca.certificatePem, ...overrides });
  return { resolver, fetcher };
}

export interface LoopbackServer {
  url: string;
  server: Server;
  requests: string[];
  close(): Promise<void>;
}

export async function startLoopbackServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LoopbackServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Deterministic PRNG (mulberry32) for fuzzing. */
export const createPrng = seededRandom;
