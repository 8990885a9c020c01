// Forwarded calls (div PASSporTs, RFC 8946) and signed caller names (rcd, RFC 9795) over real HTTP:
// tokens signed by secsipidx with certificates made by the openssl CLI, checked through
// POST /stir/v1/verification and POST /v1/screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serialiseCanonicalJson } from '../../src/stir/canonical-json.js';
import { CA_EXTENSIONS, HAVE_OPENSSL, LEAF_EXTENSIONS, ROOT_EXTENSIONS, createOpensslPki, tnAuthListDer } from '../helpers/openssl-pki.js';
import type { OpensslCert } from '../helpers/openssl-pki.js';
import { startTestServer } from '../helpers/server.js';

const HAVE_SECSIPIDX = spawnSync('sh', ['-c', 'command -v secsipidx']).status === 0;
const SKIP = HAVE_OPENSSL && HAVE_SECSIPIDX ? false : 'openssl or secsipidx is not on PATH';
const A = '12155551212'; // the caller
const B = '12155551213'; // the number called, which forwards
const C = '12155551299'; // where B forwards to
const nowSec = () => Math.floor(Date.now() / 1000);

test('div and rcd PASSporTs (secsipidx-signed) through the service', { skip: SKIP }, async (t) => {
  const pki = createOpensslPki();
  const docs = new Map<string, string>();
  const http = createServer((req, res) => {
    const doc = docs.get(req.url ?? '');
    if (doc === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(doc);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const root = pki.cert('root', '/C=US/O=Test STI-PA/CN=SHAKEN Root', ROOT_EXTENSIONS());
  const ca = pki.cert('ca', '/C=US/O=Test STI-CA/CN=SHAKEN CA', CA_EXTENSIONS(), root);
  const origCarrier = pki.cert('orig', '/C=US/O=Carrier A/serialNumber=1/CN=SHAKEN 1234', LEAF_EXTENSIONS(tnAuthListDer([{ spc: '1234' }])), ca);
  const divCarrier = pki.cert('div', '/C=US/O=Carrier B/serialNumber=1/CN=SHAKEN 5678', LEAF_EXTENSIONS(tnAuthListDer([{ spc: '5678' }])), ca);
  for (const c of [origCarrier, divCarrier]) docs.set(`/${c.name}.pem`, c.certPem + ca.certPem);
  const server = await startTestServer({ stirCaFile: pki.write('anchors.pem', root.certPem), stirAllowHttpX5u: true });
  t.after(async () => {
    await server.close();
    http.closeAllConnections();
    http.close();
    pki.cleanup();
  });

  const x5u = (c: OpensslCert) => `${base}/${c.name}.pem`;
  const sign = (c: OpensslCert, ppt: string, payload: Record<string, unknown>): string => {
    const header = JSON.stringify({ alg: 'ES256', ppt, typ: 'passport', x5u: x5u(c) });
    const r = spawnSync('secsipidx', ['-sign', '-header', header, '-payload', JSON.stringify(payload), '-k', c.keyFile], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return `${r.stdout.trim()};info=<${x5u(c)}>;alg=ES256;ppt=${ppt}`;
  };
  const shaken = (extra: Record<string, unknown> = {}, dest = B) =>
    sign(origCarrier, 'shaken', { attest: 'A', dest: { tn: [dest] }, iat: nowSec(), orig: { tn: A }, origid: '0c8a3d2e-6b1f-4a7c-9e2d-5f4b3a2c1d0e', ...extra });
  const div = (overrides: { orig?: string; from?: string; to?: string } = {}) =>
    sign(divCarrier, 'div', { dest: { tn: [overrides.to ?? C] }, div: { tn: overrides.from ?? B }, iat: nowSec(), orig: { tn: overrides.orig ?? A } });
  const verification = async (identity: string, to: string) => {
    const res = await server.call('POST', '/stir/v1/verification', { role: 'carrier', body: { verificationRequest: { from: { tn: A }, to: { tn: [to] }, time: nowSec(), identity } } });
    assert.equal(res.status, 200, res.text);
    return res.body.verificationResponse as { verstat: string; reasoncode?: number; reasondesc?: string; div?: { verstat: string; reasondesc?: string; hops: { from: string; to: string[] }[] }; rcd?: { nam?: string; verified: boolean; reason?: string } };
  };

  await t.test('div: a forwarded call (shaken dest B, div B → C, called C) passes and shows the hop', async () => {
    const r = await verification(`${shaken()},${div()}`, C);
    assert.equal(r.verstat, 'TN-Validation-Passed', r.reasondesc);
    assert.equal(r.div?.verstat, 'TN-Validation-Passed');
    assert.deepEqual(r.div?.hops, [{ from: B, to: [C] }]);
  });

  await t.test('div: two hops (B → C, then C → D) chain, whatever order the headers come in', async () => {
    const D = '12155550042';
    const r = await verification(`${shaken()},${div({ from: C, to: D })},${div()}`, D);
    assert.equal(r.verstat, 'TN-Validation-Passed', r.reasondesc);
    assert.deepEqual(r.div?.hops, [{ from: B, to: [C] }, { from: C, to: [D] }]);
  });

  await t.test('div: without the div PASSporT the forwarded call is 438 (the control)', async () => {
    const r = await verification(shaken(), C);
    assert.equal(r.reasoncode, 438);
    assert.equal(r.div, undefined);
  });

  await t.test("div: a div PASSporT with another 'orig' is 438 naming it", async () => {
    const r = await verification(`${shaken()},${div({ orig: '12125550000' })}`, C);
    assert.equal(r.reasoncode, 438);
    assert.equal(r.div?.verstat, 'No-TN-Validation');
    assert.match(r.reasondesc ?? '', /div: The div PASSporT's 'orig' 12125550000 is not the shaken 'orig' 12155551212/);
  });

  await t.test('div: a div PASSporT from a number the call never reached does not link (438)', async () => {
    const r = await verification(`${shaken()},${div({ from: '12155550001' })}`, C);
    assert.equal(r.reasoncode, 438);
    assert.match(r.div?.reasondesc ?? '', /No div PASSporT links the shaken 'dest' \(12155551213\) to the called number 12155551299/);
  });

  await t.test('div: a tampered div PASSporT (dest changed after signing) fails its signature', async () => {
    const good = div();
    const [jws = '', ...params] = good.split(';');
    const [h, p, s] = jws.split('.');
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as { dest: { tn: string[] } };
    claims.dest.tn = ['12155557777'];
    const tampered = [`${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`, ...params].join(';');
    const r = await verification(`${shaken()},${tampered}`, '12155557777');
    assert.equal(r.reasoncode, 438);
    assert.equal(r.div?.verstat, 'TN-Validation-Failed');
    assert.match(r.div?.reasondesc ?? '', /signature does not verify/);
  });

  const screen = async (identity: string | string[], callee = B) => {
    const res = await server.call('POST', '/v1/screen', { role: 'carrier', body: { caller: `+${A}`, callee: `+${callee}`, channel: 'pstn', identity } });
    assert.equal(res.status, 200, res.text);
    return res.body as { label: string; reasons: { code: string }[]; verification: { verstat: string; div?: { verstat: string; hops: unknown[] }; rcd?: { nam?: string; verified: boolean; reason?: string } } };
  };

  await t.test('div in /v1/screen: the forwarded call verifies and the answer carries the div result', async () => {
    const r = await screen([shaken(), div()], C);
    assert.equal(r.verification.verstat, 'TN-Validation-Passed');
    assert.equal(r.verification.div?.verstat, 'TN-Validation-Passed');
    assert.equal(r.verification.div?.hops.length, 1);
  });

  await t.test('rcd: a signed caller name is verified and used as the label', async () => {
    const identity = shaken({ rcd: { nam: 'Acme Pharmacy' } });
    const v = await verification(identity, B);
    assert.equal(v.verstat, 'TN-Validation-Passed', v.reasondesc);
    assert.deepEqual(v.rcd, { nam: 'Acme Pharmacy', verified: true });
    const r = await screen(identity);
    assert.equal(r.label, "Acme Pharmacy (name signed by the caller's carrier)");
    assert.ok(r.reasons.some((x) => x.code === 'STIR_SIGNED_NAME'));
    assert.equal(r.verification.rcd?.verified, true);
  });

  await t.test('rcd: rcdi digests are checked; a wrong one leaves the name unused, a right one is accepted', async () => {
    const jcd = { vcard: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', 'Acme Pharmacy']]] };
    const right = `sha256-${createHash('sha256').update(serialiseCanonicalJson(jcd)).digest('base64')}`;
    const wrong = `sha256-${createHash('sha256').update('something else').digest('base64')}`;
    const bad = await screen(shaken({ rcd: { nam: 'Acme Pharmacy', jcd }, rcdi: { '/jcd': wrong } }));
    assert.equal(bad.verification.verstat, 'TN-Validation-Passed');
    assert.equal(bad.verification.rcd?.verified, false);
    assert.match(bad.verification.rcd?.reason ?? '', /digest for \/jcd does not match/);
    assert.equal(bad.label, 'Unknown caller');
    const good = await screen(shaken({ rcd: { nam: 'Acme Pharmacy', jcd }, rcdi: { '/jcd': right } }));
    assert.equal(good.verification.rcd?.verified, true);
    assert.equal(good.label, "Acme Pharmacy (name signed by the caller's carrier)");
    const dangling = await screen(shaken({ rcd: { nam: 'Acme Pharmacy' }, rcdi: { '/icn': right } }));
    assert.equal(dangling.verification.rcd?.verified, false);
  });

  await t.test('rcd: a name in a token whose signature fails is never shown', async () => {
    const identity = shaken({ rcd: { nam: 'Acme Pharmacy' } });
    const [jws = '', ...params] = identity.split(';');
    const [h, p, s] = jws.split('.');
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as { rcd: { nam: string } };
    claims.rcd.nam = 'Your Bank Fraud Team';
    const forged = [`${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`, ...params].join(';');
    const r = await screen(forged);
    assert.equal(r.verification.verstat, 'TN-Validation-Failed');
    assert.equal(r.verification.rcd, undefined);
    assert.doesNotMatch(r.label, /Bank/);
  });
});
