// CALLSHIELD_STIR_CRL and the trust-anchor file over real HTTP: hard mode refuses a call whose CRL
// is unreachable (437 with the reason), soft mode accepts it and logs a warning, and a changed
// CALLSHIELD_STIR_CA_FILE is picked up without a restart (a broken one is logged and ignored).
// Certificates come from the openssl CLI. The servers log into a buffer, so they run on SQLite
// whatever the engine (as the log test of stir-api.test.ts does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import type { ConfigOverrides } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import { buildServer } from '../../src/api/server.js';
import { extraRoutes } from '../../src/api/extra-routes.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { createSigner } from '../../src/stir/create-signer.js';
import { buildPassportPayload } from '../../src/stir/passport-sign.js';
import { CA_EXTENSIONS, HAVE_OPENSSL, LEAF_EXTENSIONS, ROOT_EXTENSIONS, createOpensslPki } from '../helpers/openssl-pki.js';
import type { OpensslCert } from '../helpers/openssl-pki.js';

const SKIP = HAVE_OPENSSL ? false : 'openssl is not on PATH';
const ORIG = '12155551212';
const DEST = '12155551213';

interface LoggedServer {
  lines: string[];
  verify(identity: string): Promise<{ verstat: string; reasoncode?: number; reasondesc?: string }>;
  close(): Promise<void>;
}

async function startLoggedServer(dir: string, name: string, overrides: ConfigOverrides): Promise<LoggedServer> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const config = loadConfig({}, { dbPath: join(dir, `${name}.db`), logLevel: 'info', stirAllowHttpX5u: true, allowPrivateFetch: true, ...overrides });
  const ctx = await openApp(config, { logger: pino({ level: 'info' }, sink) });
  const { key } = await createApiKey(ctx, { org: `${name} carrier`, role: 'carrier' }, CLI_OPERATOR);
  const server = await buildServer(ctx, extraRoutes);
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    lines,
    async verify(identity) {
      const body = { verificationRequest: { from: { tn: ORIG }, to: { tn: [DEST] }, time: Math.floor(Date.now() / 1000), identity } };
      const res = await fetch(`${url}/stir/v1/verification`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, 200);
      return ((await res.json()) as { verificationResponse: { verstat: string; reasoncode?: number; reasondesc?: string } }).verificationResponse;
    },
    async close() {
      await server.app.close();
      await ctx.close();
    },
  };
}

test('CALLSHIELD_STIR_CRL and trust-anchor reload, over HTTP', { skip: SKIP }, async (t) => {
  const pki = createOpensslPki();
  const docs = new Map<string, string>();
  const http = createServer((req, res) => {
    const doc = docs.get(req.url ?? '');
    if (doc === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(doc);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  t.after(() => {
    http.closeAllConnections();
    http.close();
    pki.cleanup();
  });

  const rootA = pki.cert('root-a', '/C=US/O=Test STI-PA/CN=SHAKEN Root A', ROOT_EXTENSIONS());
  const caA = pki.cert('ca-a', '/C=US/O=Test STI-CA/CN=SHAKEN CA A', CA_EXTENSIONS(), rootA);
  // Its CRL distribution point answers 404: the STI-PA's CRL server is down.
  const withCrl = pki.cert('with-crl', '/C=US/O=Carrier/serialNumber=1/CN=SHAKEN 1234', [...LEAF_EXTENSIONS(), `crlDistributionPoints=URI:${base}/sti-pa.crl`], caA);
  const rootB = pki.cert('root-b', '/C=US/O=Other STI-PA/CN=SHAKEN Root B', ROOT_EXTENSIONS());
  const caB = pki.cert('ca-b', '/C=US/O=Other STI-CA/CN=SHAKEN CA B', CA_EXTENSIONS(), rootB);
  const leafB = pki.cert('leaf-b', '/C=US/O=Carrier/serialNumber=1/CN=SHAKEN 1234', LEAF_EXTENSIONS(), caB);
  docs.set('/with-crl.pem', withCrl.certPem + caA.certPem);
  docs.set('/leaf-b.pem', leafB.certPem + caB.certPem);
  const sign = (leaf: OpensslCert) => {
    const signer = createSigner({ spc: '1234', x5u: `${base}/${leaf.name}.pem`, privateKeyPem: leaf.keyPem, certificatePem: leaf.certPem });
    return signer.signIdentity(buildPassportPayload({ attest: 'A', orig: ORIG, dest: [DEST], iat: Math.floor(Date.now() / 1000), origid: 'f00dcafe-0000-4000-8000-000000000001' }));
  };
  const caFile = pki.write('anchors.pem', rootA.certPem);

  await t.test('hard: an unreachable CRL is 437 with the reason', async () => {
    const s = await startLoggedServer(pki.dir, 'hard', { stirCaFile: caFile, stirCrl: 'hard' });
    try {
      const r = await s.verify(sign(withCrl));
      assert.equal(r.reasoncode, 437);
      assert.equal(r.verstat, 'TN-Validation-Failed');
      assert.match(r.reasondesc ?? '', /revocation list .*sti-pa\.crl is unavailable: the server answered HTTP 404/);
      assert.ok(s.lines.some((l) => l.includes('calls refused with 437 (hard)')));
    } finally {
      await s.close();
    }
  });

  await t.test('soft (the default): the call passes and the unreachable CRL is logged', async () => {
    const s = await startLoggedServer(pki.dir, 'soft', { stirCaFile: caFile });
    try {
      const r = await s.verify(sign(withCrl));
      assert.equal(r.verstat, 'TN-Validation-Passed', r.reasondesc);
      const warning = s.lines.find((l) => l.includes('calls accepted (soft)'));
      assert.ok(warning, 'a warning was logged');
      assert.match(warning, /sti-pa\.crl/);
      assert.match(warning, /"mode":"soft"/);
    } finally {
      await s.close();
    }
  });

  await t.test('the trust-anchor file reloads without a restart; a broken file keeps the anchors in use', async () => {
    const file = pki.write('reload.pem', rootA.certPem);
    const s = await startLoggedServer(pki.dir, 'reload', { stirCaFile: file });
    try {
      assert.equal((await s.verify(sign(leafB))).reasoncode, 437, 'root B is not trusted yet');
      writeFileSync(file, rootA.certPem + rootB.certPem);
      let r = await s.verify(sign(leafB));
      for (let tries = 0; r.verstat !== 'TN-Validation-Passed' && tries < 100; tries++) {
        await sleep(200);
        r = await s.verify(sign(leafB));
      }
      assert.equal(r.verstat, 'TN-Validation-Passed', 'root B is trusted after the file changed');
      assert.ok(s.lines.some((l) => l.includes('stir trust anchors reloaded') && l.includes('"anchors":2')));

      writeFileSync(file, 'not a certificate bundle\n');
      for (let tries = 0; !s.lines.some((l) => l.includes('cannot be used')) && tries < 100; tries++) await sleep(200);
      assert.ok(s.lines.some((l) => l.includes('cannot be used; the anchors in use are kept')));
      assert.equal((await s.verify(sign(leafB))).verstat, 'TN-Validation-Passed', 'the anchors in use were kept');

      // Dropping root B again takes effect too (an STI-PA removing a CA from its list).
      writeFileSync(file, rootA.certPem);
      r = await s.verify(sign(leafB));
      for (let tries = 0; r.reasoncode !== 437 && tries < 100; tries++) {
        await sleep(200);
        r = await s.verify(sign(leafB));
      }
      assert.equal(r.reasoncode, 437, 'root B is no longer trusted');
    } finally {
      await s.close();
    }
  });
});
