// Issue 13 part 2 item 5: a call with several SHAKEN Identity headers is verified on each and the
// best outcome counts (passed A > B > C > failures; among failures the first header's). Tokens are
// signed by secsipidx with an openssl-built certificate; through the verifier, POST /v1/screen and
// a sipp INVITE carrying two Identity headers.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createCertificateResolver } from '../../src/stir/certificate-resolver.js';
import { createHttpFetcher } from '../../src/stir/fetch-certificate.js';
import { encodePassportPart } from '../../src/stir/passport-sign.js';
import { MAX_IDENTITY_CANDIDATES, verifyBestIdentity } from '../../src/stir/verify-best-identity.js';
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

function tamper(identity: string): string {
  const [jws = '', ...params] = identity.split(';');
  const [h, p, s] = jws.split('.');
  const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
  claims.origid = 'ffffffff-0000-4000-8000-000000000000';
  return [`${h}.${encodePassportPart(claims)}.${s}`, ...params].join(';');
}

describe('several Identity headers: the best outcome counts', { skip: HAVE_PEERS ? false : 'secsipidx or openssl is not on PATH' }, () => {
  let pki: OpensslShakenPki;
  let leaf: OpensslLeaf;
  let x5uHost: Awaited<ReturnType<typeof startLoopbackHttp>>;
  let x5u: string;
  let t: TestServer;
  const sign = (attest: 'A' | 'B' | 'C', url = x5u): string => secsipidxSign({ orig: ORIG, dest: DEST, attest, x5u: url, keyFile: leaf.keyFile });

  before(async () => {
    pki = createOpensslPki();
    leaf = pki.leaf('1234');
    x5uHost = await startLoopbackHttp({
      '/leaf.pem': (_q, res) => res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(leaf.certificatePem),
    });
    x5u = `${x5uHost.base}/leaf.pem`;
    t = await startTestServer({ stirAllowHttpX5u: true, stirCaFile: pki.caFile, defaultRegion: 'US' });
  });
  after(async () => {
    await t?.close();
    await x5uHost?.close();
    if (pki) removePki(pki);
  });

  const verify = (identity: string | string[]) =>
    verifyBestIdentity(identity, { from: ORIG, to: DEST, now: Date.now() }, { certificates: createCertificateResolver({ fetcher: createHttpFetcher({ fetch, allowHttp: true }), trustAnchorsPem: pki.caPem }) });

  it('a tampered header, then B, then A: passed with A', async () => {
    const r = await verify([tamper(sign('A')), sign('B'), sign('A')]);
    assert.equal(r.verstat, 'TN-Validation-Passed', r.reasonDesc);
    assert.equal(r.attest, 'A');
  });

  it('B before C, in one comma-joined header: passed with B', async () => {
    const r = await verify(`${sign('C')}, ${sign('B')}`);
    assert.equal(r.verstat, 'TN-Validation-Passed', r.reasonDesc);
    assert.equal(r.attest, 'B');
  });

  it('a valid C beats a tampered A', async () => {
    const r = await verify([tamper(sign('A')), sign('C')]);
    assert.equal(r.verstat, 'TN-Validation-Passed');
    assert.equal(r.attest, 'C');
  });

  it('only failures: the first header\'s failure (438 tampered before 436 bad x5u)', async () => {
    const bad = sign('A', `${x5uHost.base}/missing.pem`);
    const first = await verify([tamper(sign('A')), bad]);
    assert.equal(first.reasonCode, 438);
    assert.equal(first.verstat, 'TN-Validation-Failed');
    const other = await verify([bad, tamper(sign('A'))]);
    assert.equal(other.reasonCode, 436);
  });

  it(`at most ${MAX_IDENTITY_CANDIDATES} headers are tried (each may cost a fetch)`, async () => {
    let requests = 0;
    const count = (): void => void requests++;
    x5uHost.server.on('request', count);
    try {
      const junk = Array.from({ length: 10 }, (_, i) => sign('A', `${x5uHost.base}/junk-${i}.pem`));
      const r = await verify([...junk, sign('A')]);
      assert.equal(r.reasonCode, 436, 'the valid 11th header is never reached');
      assert.equal(requests, MAX_IDENTITY_CANDIDATES, 'one x5u fetch per header tried, no more');
    } finally {
      x5uHost.server.off('request', count);
    }
  });

  it('POST /v1/screen with identity [tampered, valid A] verifies as passed with A', async () => {
    const res = await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller: `+${ORIG}`, callee: `+${DEST}`, channel: 'pstn', identity: [tamper(sign('A')), sign('A')] } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.verification.verstat, 'TN-Validation-Passed', res.text);
    assert.equal(res.body.verification.attest, 'A');
  });

  describe('SIP', { skip: HAVE_SIPP ? false : 'sipp (sip-tester) is not installed' }, () => {
    let sip: SipServer;
    before(async () => {
      sip = await startSipServer(t.ctx, { host: '127.0.0.1', port: 0, actor: { orgId: 'sip', orgName: 'SIP interface', role: 'carrier', person: 'sip' }, redressUrl: 'https://redress.example.org/appeals' });
    });
    after(async () => sip?.close());

    const sipp = (scenario: string, keys: Record<string, string>, transport: 'u1' | 't1'): Promise<number | null> => {
      const args = [`127.0.0.1:${sip.port}`, '-sf', join(FIXTURES, scenario), '-m', '1', '-t', transport, '-nostdin', '-timeout', '15s', '-timeout_error', '-i', '127.0.0.1'];
      for (const [k, v] of Object.entries({ caller: `+${ORIG}`, callee: `+${DEST}`, ...keys })) args.push('-key', k, v);
      return new Promise((resolve) => spawn('sipp', args, { cwd: pki.dir, stdio: 'ignore' }).once('exit', (code) => resolve(code)));
    };

    for (const transport of ['u1', 't1'] as const) {
      it(`${transport === 'u1' ? 'UDP' : 'TCP'}: an INVITE with a tampered Identity and then a valid one gets 302 with verstat=TN-Validation-Passed`, async () => {
        assert.equal(await sipp('invite-two-identities.xml', { identity: tamper(sign('A')), identity2: sign('A') }, transport), 0);
        // Two tampered ones: the scenario (which wants Passed) fails; the tampered scenario passes.
        assert.notEqual(await sipp('invite-two-identities.xml', { identity: tamper(sign('A')), identity2: tamper(sign('B')) }, transport), 0);
        assert.equal(await sipp('invite-tampered.xml', { identity: `${tamper(sign('A'))}, ${tamper(sign('B'))}` }, transport), 0);
      });
    }
  });
});
