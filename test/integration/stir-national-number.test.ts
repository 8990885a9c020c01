// Issue 13 part 2 item 4: a calling number in national form (2155551212) is read in the default
// region before the `orig` check, so a secsipidx-signed token for 12155551212 passes instead of 438;
// through the verifier, POST /stir/v1/verification and a sipp INVITE whose From is national.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createCertificateResolver } from '../../src/stir/certificate-resolver.js';
import { createHttpFetcher } from '../../src/stir/fetch-certificate.js';
import { verifyIdentity } from '../../src/stir/verify-identity.js';
import { loadedStir } from '../../src/operations/stir/runtime.js';
import { startSipServer } from '../../src/sip/server.js';
import type { SipServer } from '../../src/sip/server.js';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { HAVE_PEERS, createOpensslPki, removePki, secsipidxSign, startLoopbackHttp } from '../helpers/openssl-shaken-pki.js';
import type { OpensslLeaf, OpensslShakenPki } from '../helpers/openssl-shaken-pki.js';

const FIXTURES = new URL('../fixtures/sip/', import.meta.url).pathname;
const HAVE_SIPP = spawnSync('sipp', ['-v']).error === undefined;
const ORIG = '12155551212';
const DEST = '12155551213';

describe('national-format calling numbers (default region)', { skip: HAVE_PEERS ? false : 'secsipidx or openssl is not on PATH' }, () => {
  let pki: OpensslShakenPki;
  let leaf: OpensslLeaf;
  let x5uHost: Awaited<ReturnType<typeof startLoopbackHttp>>;
  let x5u: string;
  let t: TestServer;

  before(async () => {
    pki = createOpensslPki();
    leaf = pki.leaf('1234');
    x5uHost = await startLoopbackHttp({ '/leaf.pem': (_q, res) => res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(leaf.certificatePem) });
    x5u = `${x5uHost.base}/leaf.pem`;
    t = await startTestServer({ stirAllowHttpX5u: true, stirCaFile: pki.caFile, defaultRegion: 'US' });
  });
  after(async () => {
    await t?.close();
    await x5uHost?.close();
    if (pki) removePki(pki);
  });

  const resolver = () => createCertificateResolver({ fetcher: createHttpFetcher({ fetch, allowHttp: true }), trustAnchorsPem: pki.caPem });

  it('the verifier reads 2155551212 in region US as 12155551212; without a region, or in CN, it is 438', async () => {
    const identity = secsipidxSign({ orig: ORIG, dest: DEST, x5u, keyFile: leaf.keyFile });
    const certificates = resolver();
    const call = { from: '2155551212', to: '(215) 555-1213', now: Date.now() };
    const us = await verifyIdentity(identity, call, { certificates, defaultRegion: 'US' });
    assert.equal(us.verstat, 'TN-Validation-Passed', us.reasonDesc);
    for (const deps of [{ certificates }, { certificates, defaultRegion: 'CN' }]) {
      const r = await verifyIdentity(identity, call, deps);
      assert.equal(r.reasonCode, 438);
      assert.match(r.reasonDesc ?? '', /'orig' claim does not match/);
    }
    // Written with '+', a number says its own country: +2155551212 is not re-read as American.
    const plus = await verifyIdentity(identity, { ...call, from: '+2155551212' }, { certificates, defaultRegion: 'US' });
    assert.equal(plus.reasonCode, 438);
    // As written wins: the PASSporT form 12155551212 still matches in a region where it would mean something else.
    const asWritten = await verifyIdentity(identity, { from: ORIG, to: DEST, now: Date.now() }, { certificates, defaultRegion: 'GB' });
    assert.equal(asWritten.verstat, 'TN-Validation-Passed', asWritten.reasonDesc);
  });

  it('POST /stir/v1/verification with from.tn in national form passes and counts for +12155551212', async () => {
    const identity = secsipidxSign({ orig: ORIG, dest: DEST, x5u, keyFile: leaf.keyFile });
    const res = await t.call('POST', '/stir/v1/verification', {
      role: 'carrier',
      body: { verificationRequest: { from: { tn: '2155551212' }, to: { tn: ['2155551213'] }, time: Math.floor(Date.now() / 1000), identity } },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.verificationResponse.verstat, 'TN-Validation-Passed', res.text);
    // The attestation history is kept under the number in E.164, not under the national digits.
    const rt = loadedStir(t.ctx);
    assert.equal(rt?.history.get('+12155551212')?.A, 1);
    assert.equal(rt?.history.get('+2155551212'), undefined);
  });

  describe('SIP', { skip: HAVE_SIPP ? false : 'sipp (sip-tester) is not installed' }, () => {
    let sip: SipServer;
    before(async () => {
      sip = await startSipServer(t.ctx, { host: '127.0.0.1', port: 0, actor: { orgId: 'sip', orgName: 'SIP interface', role: 'carrier', person: 'sip' }, redressUrl: 'https://redress.example.org/appeals' });
    });
    after(async () => sip?.close());

    function sipp(caller: string, callee: string, identity: string): Promise<number | null> {
      const args = [`127.0.0.1:${sip.port}`, '-sf', join(FIXTURES, 'invite-signed-from.xml'), '-m', '1', '-t', 'u1', '-nostdin', '-timeout', '15s', '-timeout_error', '-i', '127.0.0.1'];
      args.push('-key', 'caller', caller, '-key', 'callee', callee, '-key', 'identity', identity);
      return new Promise((resolve) => spawn('sipp', args, { cwd: pki.dir, stdio: 'ignore' }).once('exit', (code) => resolve(code)));
    }

    it('an INVITE whose From is sip:2155551212 (no P-Asserted-Identity) gets 302 with verstat=TN-Validation-Passed', async () => {
      const identity = secsipidxSign({ orig: ORIG, dest: DEST, x5u, keyFile: leaf.keyFile });
      assert.equal(await sipp('2155551212', '2155551213', identity), 0);
      // The same token from another national number fails the check (the scenario wants Passed).
      const other = secsipidxSign({ orig: ORIG, dest: DEST, x5u, keyFile: leaf.keyFile });
      assert.notEqual(await sipp('2155550000', '2155551213', other), 0);
    });
  });
});
