// Issue 13 part 2 item 9: a call attested A by a carrier that does not hold the number in the
// holder registry gets STIR_SIGNER_NOT_HOLDER, is counted apart in the number's attestation history
// (stored), and traceback shows the holder beside the signer. Certificates for two carriers' SPCs
// built with openssl, tokens signed by secsipidx.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { flushStir, loadedStir } from '../../src/operations/stir/runtime.js';
import { addSigner } from '../../src/operations/stir/signers.js';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { HAVE_PEERS, createOpensslPki, removePki, secsipidxSign, startLoopbackHttp } from '../helpers/openssl-shaken-pki.js';
import type { OpensslLeaf, OpensslShakenPki } from '../helpers/openssl-shaken-pki.js';

const DEST = '12125550100';

describe('signer is not the number holder', { skip: HAVE_PEERS ? false : 'secsipidx or openssl is not on PATH' }, () => {
  let pki: OpensslShakenPki;
  let holderLeaf: OpensslLeaf;
  let otherLeaf: OpensslLeaf;
  let x5uHost: Awaited<ReturnType<typeof startLoopbackHttp>>;
  let t: TestServer;
  const sign = (leaf: OpensslLeaf, orig: string, attest: 'A' | 'B', origid?: string): string =>
    secsipidxSign({ orig, dest: DEST, attest, x5u: `${x5uHost.base}/${leaf.spc}.pem`, keyFile: leaf.keyFile, ...(origid ? { origid } : {}) });
  const screen = async (orig: string, identity: string): Promise<any> => {
    const res = await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller: `+${orig}`, callee: `+${DEST}`, channel: 'pstn', identity } });
    assert.equal(res.status, 200, res.text);
    return res.body;
  };
  const codes = (body: any): string[] => body.reasons.map((r: { code: string }) => r.code);

  before(async () => {
    pki = createOpensslPki();
    holderLeaf = pki.leaf('1111');
    otherLeaf = pki.leaf('2222');
    x5uHost = await startLoopbackHttp({
      '/1111.pem': (_q, res) => res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(holderLeaf.certificatePem),
      '/2222.pem': (_q, res) => res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(otherLeaf.certificatePem),
    });
    t = await startTestServer({ stirAllowHttpX5u: true, stirCaFile: pki.caFile });
    // "Test carrier" holds +1215555… for Acme Bank and signs with SPC 1111 here.
    const reg = await t.call('POST', '/v1/holders', { role: 'carrier', body: [{ holder: 'Acme Bank', identityLevel: 'verified', use: 'customer-service', prefix: '+1215555' }] });
    assert.equal(reg.status, 201, reg.text);
    await addSigner(t.ctx, { org: 'Test carrier', privateKeyPem: holderLeaf.privateKeyPem, certificatePem: holderLeaf.certificatePem, x5u: `${x5uHost.base}/1111.pem` }, CLI_OPERATOR);
    await t.ctx.applyChanges(); // the signer's SPC reaches the in-memory map as on any node
  });
  after(async () => {
    await t?.close();
    await x5uHost?.close();
    if (pki) removePki(pki);
  });

  it('A from another carrier\'s SPC: STIR_SIGNER_NOT_HOLDER, counted as not-holder (not as A), and stored', async () => {
    const orig = '12155550001';
    const body = await screen(orig, sign(otherLeaf, orig, 'A'));
    assert.equal(body.verification.verstat, 'TN-Validation-Passed');
    assert.equal(body.verification.spc, '2222');
    assert.ok(codes(body).includes('STIR_SIGNER_NOT_HOLDER'), JSON.stringify(body.reasons));
    const h = loadedStir(t.ctx)?.history.get(`+${orig}`);
    assert.equal(h?.notHolder, 1);
    assert.equal(h?.A, 0);
    await flushStir(t.ctx);
    const row = await t.ctx.db.selectFrom('stir_attestation_history').selectAll().where('number', '=', `+${orig}`).executeTakeFirstOrThrow();
    assert.equal(Number(row.not_holder), 1);
    assert.equal(Number(row.a), 0);
  });

  it('A from the holder\'s own SPC: no such reason, counted as A', async () => {
    const orig = '12155550002';
    const body = await screen(orig, sign(holderLeaf, orig, 'A'));
    assert.equal(body.verification.verstat, 'TN-Validation-Passed');
    assert.ok(!codes(body).includes('STIR_SIGNER_NOT_HOLDER'));
    assert.ok(codes(body).includes('STIR_ATTEST_A'));
    assert.equal(loadedStir(t.ctx)?.history.get(`+${orig}`)?.A, 1);
  });

  it('the same A from the other carrier scores worse than from the holder', async () => {
    const a = await screen('12155550003', sign(holderLeaf, '12155550003', 'A'));
    const b = await screen('12155550004', sign(otherLeaf, '12155550004', 'A'));
    assert.ok(b.score > a.score, `${b.score} > ${a.score}`);
  });

  it('B from another carrier (it does not claim the number) and A for an unregistered number: no verdict', async () => {
    assert.ok(!codes(await screen('12155550005', sign(otherLeaf, '12155550005', 'B'))).includes('STIR_SIGNER_NOT_HOLDER'));
    assert.ok(!codes(await screen('12125550199', sign(otherLeaf, '12125550199', 'A'))).includes('STIR_SIGNER_NOT_HOLDER'));
  });

  it('traceback shows the holder beside the signer', async () => {
    const origid = '7d1f2e3a-0000-4000-8000-00000000a001';
    await screen('12155550006', sign(otherLeaf, '12155550006', 'A', origid));
    const res = await t.call('GET', `/stir/v1/traceback?origid=${origid}`, { role: 'police' });
    assert.equal(res.status, 200, res.text);
    const [call] = res.body.calls;
    assert.equal(call.signer.spc, '2222');
    assert.deepEqual(call.holder, { holder: 'Acme Bank', carrier: 'Test carrier', spcs: ['1111'] });
    assert.equal(call.signerIsHolder, false);
    const own = '7d1f2e3a-0000-4000-8000-00000000a002';
    await screen('12155550007', sign(holderLeaf, '12155550007', 'A', own));
    const mine = await t.call('GET', `/stir/v1/traceback?origid=${own}`, { role: 'regulator' });
    assert.equal(mine.body.calls[0].signerIsHolder, true);
    assert.equal(mine.body.calls[0].signer.orgName, 'Test carrier');
  });

  it('a carrier may not read traceback (police, regulator, admin only)', async () => {
    assert.equal((await t.call('GET', '/stir/v1/traceback?origid=x', { role: 'carrier' })).status, 403);
  });
});
