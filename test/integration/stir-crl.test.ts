// CRLs made by `openssl ca -gencrl` for certificates made by the openssl CLI: an STI-PA CRL named by
// cRLIssuer is checked against the STI-PA's key (and a CRL signed by anyone else is not used), hard
// and soft modes, and a certificate revoked after it was cached is refused once its CRL is
// refreshed, without fetching the certificate again. The clock is passed in, never waited on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertificateResolver } from '../../src/stir/certificate-resolver.js';
import { createSigner } from '../../src/stir/create-signer.js';
import { buildPassportPayload } from '../../src/stir/passport-sign.js';
import { verifyIdentity } from '../../src/stir/verify-identity.js';
import { CA_EXTENSIONS, HAVE_OPENSSL, LEAF_EXTENSIONS, ROOT_EXTENSIONS, createOpensslPki } from '../helpers/openssl-pki.js';
import type { OpensslCert } from '../helpers/openssl-pki.js';
import { createFakeFetcher } from '../unit/stir/fixtures.js';

const SKIP = HAVE_OPENSSL ? false : 'openssl is not on PATH';
const ORIG = '12155551212';
const DEST = '12155551213';
const X5U = 'https://cr.example.test/leaf.pem';
const CRL_URL = 'https://crl.example.test/sti-pa.crl';
const HOUR = 3_600_000;

test('CRLs: the STI-PA CRL named by cRLIssuer, hard and soft, re-checked after caching', { skip: SKIP }, async (t) => {
  const pki = createOpensslPki();
  t.after(() => pki.cleanup());
  const root = pki.cert('root', '/C=US/O=Test STI-PA/CN=SHAKEN Root', ROOT_EXTENSIONS());
  const stiCa = pki.cert('sti-ca', '/C=US/O=Test STI-CA/CN=SHAKEN STI-CA', CA_EXTENSIONS(), root);
  // ATIS-1000080 §6.3.3: the STI-PA publishes the CRL and signs it with its own key.
  const stiPa = pki.cert('sti-pa', '/C=US/O=Test STI-PA/CN=SHAKEN STI-PA CRL', ROOT_EXTENSIONS());
  const crlDp = `crlDistributionPoints=crldp\n[crldp]\nfullname=URI:${CRL_URL}\nCRLissuer=dirName:stipa_dn`;
  const sections = '[stipa_dn]\nC=US\nO=Test STI-PA\nCN=SHAKEN STI-PA CRL\n';
  const makeLeaf = (name: string) => pki.cert(name, '/C=US/O=Carrier/serialNumber=1/CN=SHAKEN 1234', [...LEAF_EXTENSIONS(), crlDp], stiCa, { sections });
  const anchors = root.certPem + stiPa.certPem;

  const setup = (leaf: OpensslCert, crl: () => string, mode: 'hard' | 'soft' = 'hard') => {
    const events: Array<{ url: string; reason: string; accepted: boolean }> = [];
    // max-age of a day: the certificate stays cached across the CRL's refresh.
    const fetcher = createFakeFetcher({ [X5U]: leaf.certPem + stiCa.certPem, [CRL_URL]: crl }, { maxAgeSeconds: 86_400 });
    const certificates = createCertificateResolver({
      fetcher,
      trustAnchorsPem: anchors,
      crl: { fetcher, allowUnavailable: mode === 'soft', onUnavailable: (e) => events.push(e) },
    });
    const signer = createSigner({ spc: '1234', x5u: X5U, privateKeyPem: leaf.keyPem, certificatePem: leaf.certPem });
    const verifyAt = (now: number) => {
      const identity = signer.signIdentity(buildPassportPayload({ attest: 'A', orig: ORIG, dest: [DEST], iat: Math.floor(now / 1000), origid: 'a1b2c3d4-0000-4000-8000-00000000c0de' }));
      return verifyIdentity(identity, { from: ORIG, to: DEST, now }, { certificates });
    };
    return { fetcher, verifyAt, events };
  };

  await t.test('a leaf on the STI-PA CRL (signed by the STI-PA key, named by cRLIssuer) is 437 revoked', async () => {
    const leaf = makeLeaf('revoked');
    const crl = pki.crl(stiPa, [leaf], 24);
    const result = await setup(leaf, () => crl).verifyAt(Date.now());
    assert.equal(result.reasonCode, 437);
    assert.match(result.reasonDesc ?? '', /revoked/);
  });

  await t.test('a clean STI-PA CRL lets the call pass (the control)', async () => {
    const leaf = makeLeaf('clean');
    const crl = pki.crl(stiPa, [], 24);
    const result = await setup(leaf, () => crl).verifyAt(Date.now());
    assert.equal(result.verstat, 'TN-Validation-Passed', result.reasonDesc);
  });

  await t.test('a CRL signed by the STI-CA where cRLIssuer names the STI-PA is not used: hard 437, soft passes and is reported', async () => {
    const leaf = makeLeaf('wrong-signer');
    const crl = pki.crl(stiCa, [], 24);
    const hard = setup(leaf, () => crl, 'hard');
    const refused = await hard.verifyAt(Date.now());
    assert.equal(refused.reasonCode, 437);
    assert.match(refused.reasonDesc ?? '', /unavailable: The CRL is issued by 'C=US, O=Test STI-CA, CN=SHAKEN STI-CA', not by 'C=US, O=Test STI-PA, CN=SHAKEN STI-PA CRL'/);
    const soft = setup(leaf, () => crl, 'soft');
    assert.equal((await soft.verifyAt(Date.now())).verstat, 'TN-Validation-Passed');
    assert.equal(soft.events.length, 1);
    assert.equal(soft.events[0]?.url, CRL_URL);
    assert.equal(soft.events[0]?.accepted, true);
    assert.match(soft.events[0]?.reason ?? '', /SHAKEN STI-CA/);
  });

  await t.test('an STI-PA CRL whose signer is not among the trust anchors: hard 437 saying so', async () => {
    const leaf = makeLeaf('unknown-pa');
    const crl = pki.crl(stiPa, [], 24);
    const fetcher = createFakeFetcher({ [X5U]: leaf.certPem + stiCa.certPem, [CRL_URL]: crl });
    const certificates = createCertificateResolver({ fetcher, trustAnchorsPem: root.certPem, crl: { fetcher } });
    const signer = createSigner({ spc: '1234', x5u: X5U, privateKeyPem: leaf.keyPem, certificatePem: leaf.certPem });
    const now = Date.now();
    const identity = signer.signIdentity(buildPassportPayload({ attest: 'A', orig: ORIG, dest: [DEST], iat: Math.floor(now / 1000), origid: 'x' }));
    const result = await verifyIdentity(identity, { from: ORIG, to: DEST, now }, { certificates });
    assert.equal(result.reasonCode, 437);
    assert.match(result.reasonDesc ?? '', /No trusted certificate for the CRL issuer/);
  });

  await t.test('revoked after caching: refused on the first call after the CRL is refreshed, without refetching x5u', async () => {
    const leaf = makeLeaf('later');
    const before = pki.crl(stiPa, [], 1); // nextUpdate in an hour
    const after = pki.crl(stiPa, [leaf], 48);
    let published = before;
    const s = setup(leaf, () => published);
    const now = Date.now();
    assert.equal((await s.verifyAt(now)).verstat, 'TN-Validation-Passed');
    // The STI-PA revokes it; until our copy of the CRL is due, the cached answer stands.
    published = after;
    assert.equal((await s.verifyAt(now + 60_000)).verstat, 'TN-Validation-Passed');
    const crlFetches = s.fetcher.calls.filter((u) => u === CRL_URL).length;
    const later = await s.verifyAt(now + 2 * HOUR);
    assert.equal(later.reasonCode, 437, later.reasonDesc);
    assert.match(later.reasonDesc ?? '', /revoked/);
    assert.equal(s.fetcher.calls.filter((u) => u === X5U).length, 1, 'the certificate came from the cache');
    assert.equal(s.fetcher.calls.filter((u) => u === CRL_URL).length, crlFetches + 1, 'the CRL was refreshed');
    // And it stays refused on the calls after.
    assert.equal((await s.verifyAt(now + 2 * HOUR + 1000)).reasonCode, 437);
  });

  await t.test('a refreshed CRL that does not list it keeps the cached certificate in use (the control)', async () => {
    const leaf = makeLeaf('still-good');
    let published = pki.crl(stiPa, [], 1);
    const s = setup(leaf, () => published);
    const now = Date.now();
    assert.equal((await s.verifyAt(now)).verstat, 'TN-Validation-Passed');
    published = pki.crl(stiPa, [], 48);
    // Three calls at once when the CRL is due share one refresh.
    const results = await Promise.all([0, 1, 2].map((i) => s.verifyAt(now + 2 * HOUR + i)));
    for (const r of results) assert.equal(r.verstat, 'TN-Validation-Passed', r.reasonDesc);
    assert.equal(s.fetcher.calls.filter((u) => u === X5U).length, 1);
    assert.equal(s.fetcher.calls.filter((u) => u === CRL_URL).length, 2);
  });
});
