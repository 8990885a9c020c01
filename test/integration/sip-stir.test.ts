// Signed, tampered and unsigned INVITEs from sipp against the SIP screening server with a real
// test PKI (STI-CA trust anchor, certificate served at its x5u), as POST /v1/screen verifies them.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { addSigner } from '../../src/operations/stir/signers.js';
import { encodePassportPart } from '../../src/stir/passport-sign.js';
import { createShakenCertificate, createTestCa } from '../../src/stir/test-pki.js';
import { startSipServer } from '../../src/sip/server.js';
import type { SipServer } from '../../src/sip/server.js';

const FIXTURES = new URL('../fixtures/sip/', import.meta.url).pathname;
const hasSipp = spawnSync('sipp', ['-v']).error === undefined;
const ORIG = '12127363100';
const DEST = '16502530000';

function tamper(identity: string): string {
  const [jws = '', ...params] = identity.split(';');
  const [h, p, s] = jws.split('.');
  const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
  claims.attest = claims.attest === 'A' ? 'B' : 'A';
  return [`${h}.${encodePassportPart(claims)}.${s}`, ...params].join(';');
}

describe('SIP screening with STIR/SHAKEN (sipp)', { skip: hasSipp ? false : 'sipp (sip-tester) is not installed' }, () => {
  let dir: string;
  let http: HttpServer;
  let t: TestServer;
  let sip: SipServer;

  function sipp(scenario: string, transport: 'u1' | 't1', identity: string): Promise<number | null> {
    const args = [`127.0.0.1:${sip.port}`, '-sf', join(FIXTURES, scenario), '-m', '1', '-t', transport, '-nostdin', '-timeout', '15s', '-timeout_error', '-i', '127.0.0.1'];
    args.push('-key', 'caller', `+${ORIG}`, '-key', 'callee', `+${DEST}`, '-key', 'identity', identity);
    return new Promise((resolve) => spawn('sipp', args, { cwd: dir, stdio: 'ignore' }).once('exit', (code) => resolve(code)));
  }

  async function sign(): Promise<string> {
    const res = await t.call('POST', '/stir/v1/signing', { role: 'carrier', body: { signingRequest: { attest: 'A', dest: { tn: [DEST] }, iat: Math.floor(Date.now() / 1000), orig: { tn: ORIG } } } });
    assert.equal(res.status, 200, res.text);
    return res.body.signingResponse.identity as string;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callshield-sip-stir-'));
    const ca = await createTestCa();
    const leaf = await createShakenCertificate({ ca, spc: '1234' });
    writeFileSync(join(dir, 'ca.pem'), ca.certificatePem);
    http = createServer((req, res) => {
      if (req.url === '/leaf.pem') res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(leaf.chainPem);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    t = await startTestServer({ stirAllowHttpX5u: true, stirCaFile: join(dir, 'ca.pem') });
    await addSigner(t.ctx, { org: 'Test carrier', privateKeyPem: leaf.privateKeyPem, certificatePem: leaf.certificatePem, x5u: `http://127.0.0.1:${(http.address() as AddressInfo).port}/leaf.pem` }, CLI_OPERATOR);
    sip = await startSipServer(t.ctx, { host: '127.0.0.1', port: 0, actor: { orgId: 'sip', orgName: 'SIP interface', role: 'carrier', person: 'sip' }, redressUrl: 'https://redress.example.org/appeals' });
  });
  after(async () => {
    await sip?.close();
    await t?.close();
    http?.closeAllConnections();
    http?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const transport of ['u1', 't1'] as const) {
    const name = transport === 'u1' ? 'UDP' : 'TCP';
    it(`${name}: a signed INVITE gets 302 with verstat=TN-Validation-Passed`, async () => {
      assert.equal(await sipp('invite-signed.xml', transport, await sign()), 0);
    });
    it(`${name}: a tampered one gets verstat=TN-Validation-Failed and Reason: STIR;cause=438`, async () => {
      const bad = tamper(await sign());
      assert.equal(await sipp('invite-tampered.xml', transport, bad), 0);
      assert.notEqual(await sipp('invite-signed.xml', transport, bad), 0, 'the signed scenario fails on it');
    });
  }
});
