// Delegate certificates (RFC 9060, ATIS-1000092): certificates built with the openssl CLI whose
// TNAuthList holds a TN range or one TN, tokens signed by secsipidx. `orig` inside passes, outside
// is 438 naming the number and the range; a delegate wider than its issuer's numbers is 437.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createCertificateResolver } from '../../src/stir/certificate-resolver.js';
import { verifyIdentity } from '../../src/stir/verify-identity.js';
import { CA_EXTENSIONS, HAVE_OPENSSL, LEAF_EXTENSIONS, ROOT_EXTENSIONS, createOpensslPki, tnAuthListDer } from '../helpers/openssl-pki.js';
import type { OpensslCert } from '../helpers/openssl-pki.js';
import { createFakeFetcher } from '../unit/stir/fixtures.js';

const HAVE_SECSIPIDX = spawnSync('sh', ['-c', 'command -v secsipidx']).status === 0;
const SKIP = HAVE_OPENSSL && HAVE_SECSIPIDX ? false : 'openssl or secsipidx is not on PATH';
const DEST = '12155550000';

test('delegate certificates: orig must be in the TNAuthList numbers', { skip: SKIP }, async (t) => {
  const pki = createOpensslPki();
  t.after(() => pki.cleanup());
  const root = pki.cert('root', '/C=US/O=Test STI-PA/CN=SHAKEN Root', ROOT_EXTENSIONS());
  const stiCa = pki.cert('sti-ca', '/C=US/O=Test STI-CA/CN=SHAKEN STI-CA', CA_EXTENSIONS(), root);
  // ATIS-1000092: the SP's own CA carries its SPC and issues the delegates (pathlen 0: leaves only).
  const spCa = pki.cert('sp-ca', '/C=US/O=Carrier/CN=SHAKEN 1234 delegate CA', [...CA_EXTENSIONS(0), `1.3.6.1.5.5.7.1.26=${tnAuthListDer([{ spc: '1234' }])}`], stiCa);
  const leaf = (name: string, issuer: OpensslCert, tnAuthList: string) =>
    pki.cert(name, `/C=US/O=Enterprise/CN=SHAKEN ${name}`, LEAF_EXTENSIONS(tnAuthList), issuer);
  const rangeCert = leaf('range', spCa, tnAuthListDer([{ start: '12155551200', count: 100 }]));
  const oneCert = leaf('one', spCa, tnAuthListDer([{ tn: '12155551212' }]));
  const spcCert = leaf('spc', stiCa, tnAuthListDer([{ spc: '1234' }]));
  const numberCa = pki.cert('number-ca', '/C=US/O=Carrier/CN=SHAKEN numbers CA', [...CA_EXTENSIONS(0), `1.3.6.1.5.5.7.1.26=${tnAuthListDer([{ start: '12155551200', count: 10 }])}`], stiCa);
  const widerCert = leaf('wider', numberCa, tnAuthListDer([{ start: '12155551200', count: 100 }]));
  const narrowCert = leaf('narrow', numberCa, tnAuthListDer([{ start: '12155551205', count: 5 }]));

  const chains: Record<string, OpensslCert[]> = {
    range: [rangeCert, spCa, stiCa],
    one: [oneCert, spCa, stiCa],
    spc: [spcCert, stiCa],
    wider: [widerCert, numberCa, stiCa],
    narrow: [narrowCert, numberCa, stiCa],
  };
  const x5u = (name: string) => `https://cr.example.test/${name}.pem`;
  const fetcher = createFakeFetcher(Object.fromEntries(Object.entries(chains).map(([n, c]) => [x5u(n), c.map((x) => x.certPem).join('')])));
  const certificates = createCertificateResolver({ fetcher, trustAnchorsPem: root.certPem });

  const check = async (name: string, orig: string) => {
    const r = spawnSync('secsipidx', ['-sign-full', '-orig-tn', orig, '-dest-tn', DEST, '-attest', 'A', '-orig-id', 'c2a9e5b0-1d6f-4f1e-9a4c-3c0a7e2b9d10', '-x5u', x5u(name), '-k', (chains[name] as OpensslCert[])[0]!.keyFile], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return verifyIdentity(r.stdout.trim(), { from: orig, to: DEST, now: Date.now() }, { certificates });
  };

  await t.test('a TN-range delegate signing for a number inside the range passes', async () => {
    const result = await check('range', '12155551212');
    assert.equal(result.verstat, 'TN-Validation-Passed', result.reasonDesc);
    assert.equal(result.spc, undefined);
    assert.equal((await check('range', '12155551299')).verstat, 'TN-Validation-Passed');
  });

  await t.test('the same delegate signing for a number outside the range: 438 naming orig and the range', async () => {
    for (const orig of ['12155551300', '12155551199', '121555512000']) {
      const result = await check('range', orig);
      assert.equal(result.reasonCode, 438, `${orig}: ${result.reasonDesc}`);
      assert.equal(result.verstat, 'TN-Validation-Failed');
      assert.ok(result.reasonDesc?.includes(`'orig' ${orig}`), result.reasonDesc);
      assert.ok(result.reasonDesc?.includes('12155551200–12155551299'), result.reasonDesc);
    }
  });

  await t.test('a one-TN delegate: that number passes, its neighbour is 438', async () => {
    assert.equal((await check('one', '12155551212')).verstat, 'TN-Validation-Passed');
    const next = await check('one', '12155551213');
    assert.equal(next.reasonCode, 438);
    assert.match(next.reasonDesc ?? '', /not in the delegate certificate's TNAuthList \(12155551212\)/);
  });

  await t.test('an SPC certificate still passes for any number (the control)', async () => {
    const result = await check('spc', '12155559876');
    assert.equal(result.verstat, 'TN-Validation-Passed', result.reasonDesc);
    assert.equal(result.spc, '1234');
  });

  await t.test("a delegate wider than its issuer's numbers is 437; one inside them passes", async () => {
    const wider = await check('wider', '12155551201');
    assert.equal(wider.reasonCode, 437);
    assert.match(wider.reasonDesc ?? '', /outside its issuer's TNAuthList 12155551200–12155551209/);
    assert.equal((await check('narrow', '12155551207')).verstat, 'TN-Validation-Passed');
  });
});
