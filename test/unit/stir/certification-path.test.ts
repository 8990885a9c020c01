// RFC 5280 §6.1.4 and the ATIS-1000080 CA profile on every intermediate, with chains built by the
// openssl CLI (not by our test PKI): pathLenConstraint, CA flag, keyCertSign, criticality. The
// trust anchor's own constraints are not path constraints (RFC 5280 §6.1.1(d)).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertificateResolver } from '../../../src/stir/certificate-resolver.js';
import type { ProfileEnforcement } from '../../../src/stir/certificate-resolver.js';
import { createSigner } from '../../../src/stir/create-signer.js';
import { buildPassportPayload } from '../../../src/stir/passport-sign.js';
import { verifyIdentity } from '../../../src/stir/verify-identity.js';
import { CA_EXTENSIONS, HAVE_OPENSSL, LEAF_EXTENSIONS, ROOT_EXTENSIONS, createOpensslPki } from '../../helpers/openssl-pki.js';
import type { OpensslCert, OpensslPki } from '../../helpers/openssl-pki.js';
import { createFakeFetcher } from './fixtures.js';

const SKIP = HAVE_OPENSSL ? false : 'openssl is not on PATH';
const ORIG = '12155551212';
const DEST = '12155551213';
const X5U = 'https://cr.example.test/chain.pem';

/** Signs a fresh token with `leaf` and verifies it with the x5u document leaf + intermediates. */
async function verifyWith(leaf: OpensslCert, intermediates: OpensslCert[], anchor: OpensslCert, profile?: ProfileEnforcement) {
  const signer = createSigner({ spc: '1234', x5u: X5U, privateKeyPem: leaf.keyPem, certificatePem: leaf.certPem });
  const now = Date.now();
  const identity = signer.signIdentity(buildPassportPayload({ attest: 'A', orig: ORIG, dest: [DEST], iat: Math.floor(now / 1000), origid: 'b0c1a2d3-0000-4000-8000-000000000001' }));
  const fetcher = createFakeFetcher({ [X5U]: [leaf, ...intermediates].map((c) => c.certPem).join('') });
  const certificates = createCertificateResolver({ fetcher, trustAnchorsPem: anchor.certPem, ...(profile ? { profile } : {}) });
  return verifyIdentity(identity, { from: ORIG, to: DEST, now }, { certificates });
}

test('intermediates are held to pathLenConstraint and the SHAKEN CA profile (openssl-built chains)', { skip: SKIP }, async (t) => {
  const pki: OpensslPki = createOpensslPki();
  t.after(() => pki.cleanup());
  const root = pki.cert('root', '/C=US/O=Test STI-PA/CN=SHAKEN Root', ROOT_EXTENSIONS());
  const leafUnder = (issuer: OpensslCert, name: string) => pki.cert(name, '/C=US/O=Carrier/serialNumber=1/CN=SHAKEN 1234', LEAF_EXTENSIONS(), issuer);

  await t.test('root → CA(pathlen 1) → CA → leaf passes (the control)', async () => {
    const outer = pki.cert('outer1', '/C=US/O=Test STI-CA/CN=SHAKEN CA outer', CA_EXTENSIONS(1), root);
    const inner = pki.cert('inner1', '/C=US/O=Test STI-CA/CN=SHAKEN CA inner', CA_EXTENSIONS(), outer);
    const result = await verifyWith(leafUnder(inner, 'leaf1'), [inner, outer], root);
    assert.equal(result.verstat, 'TN-Validation-Passed', result.reasonDesc);
  });

  await t.test('an intermediate with pathlen 0 that issued another CA: 437 naming pathLenConstraint', async () => {
    const outer = pki.cert('outer0', '/C=US/O=Test STI-CA/CN=SHAKEN CA outer0', CA_EXTENSIONS(0), root);
    const inner = pki.cert('inner0', '/C=US/O=Test STI-CA/CN=SHAKEN CA inner0', CA_EXTENSIONS(), outer);
    const result = await verifyWith(leafUnder(inner, 'leaf0'), [inner, outer], root);
    assert.equal(result.reasonCode, 437);
    assert.equal(result.verstat, 'TN-Validation-Failed');
    assert.match(result.reasonDesc ?? '', /SHAKEN CA outer0.*pathLenConstraint 0/);
    // Even with the profile off: pathLenConstraint is RFC 5280 path validation, not profile.
    assert.equal((await verifyWith(leafUnder(inner, 'leaf0b'), [inner, outer], root, 'off')).reasonCode, 437);
  });

  await t.test('a pathlen 0 intermediate issuing the leaf directly passes (the leaf does not count)', async () => {
    const ca = pki.cert('direct0', '/C=US/O=Test STI-CA/CN=SHAKEN CA direct0', CA_EXTENSIONS(0), root);
    const result = await verifyWith(leafUnder(ca, 'leafd'), [ca], root);
    assert.equal(result.verstat, 'TN-Validation-Passed', result.reasonDesc);
  });

  await t.test("the trust anchor's own pathlen is not a path constraint (RFC 5280 §6.1.1(d))", async () => {
    const tightRoot = pki.cert('tightroot', '/C=US/O=Test STI-PA/CN=SHAKEN Tight Root', ROOT_EXTENSIONS(0));
    const outer = pki.cert('touter', '/C=US/O=Test STI-CA/CN=SHAKEN CA touter', CA_EXTENSIONS(), tightRoot);
    const inner = pki.cert('tinner', '/C=US/O=Test STI-CA/CN=SHAKEN CA tinner', CA_EXTENSIONS(), outer);
    const result = await verifyWith(leafUnder(inner, 'tleaf'), [inner, outer], tightRoot);
    assert.equal(result.verstat, 'TN-Validation-Passed', result.reasonDesc);
  });

  const broken: Array<[string, string[], RegExp]> = [
    ['KeyUsage without keyCertSign', ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,digitalSignature,cRLSign', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always', 'certificatePolicies=2.16.840.1.114569.1.1.3'], /keyCertSign|does not chain/], // OpenSSL's issuer check (node's checkIssued) already refuses this one
    ['KeyUsage not critical', ['basicConstraints=critical,CA:TRUE', 'keyUsage=keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always', 'certificatePolicies=2.16.840.1.114569.1.1.3'], /KeyUsage shall be critical/],
    ['BasicConstraints not critical', ['basicConstraints=CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always', 'certificatePolicies=2.16.840.1.114569.1.1.3'], /BasicConstraints shall be critical/],
    ['no BasicConstraints at all', ['keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always', 'certificatePolicies=2.16.840.1.114569.1.1.3'], /not a CA/],
  ];
  for (const [what, extensions, reason] of broken) {
    await t.test(`an intermediate with ${what}: 437`, async () => {
      const name = what.replace(/\W+/g, '-');
      const ca = pki.cert(`bad-${name}`, `/C=US/O=Test STI-CA/CN=SHAKEN CA ${name}`, extensions, root);
      const result = await verifyWith(leafUnder(ca, `leaf-${name}`), [ca], root);
      assert.equal(result.reasonCode, 437, result.reasonDesc);
      assert.equal(result.verstat, 'TN-Validation-Failed');
      assert.match(result.reasonDesc ?? '', reason);
    });
  }

  await t.test('strict enforcement applies every CA finding (a CA subject without SHAKEN in its CN)', async () => {
    const ca = pki.cert('plainname', '/C=US/O=Test STI-CA/CN=Plain CA', CA_EXTENSIONS(), root);
    const leaf = leafUnder(ca, 'leaf-plain');
    assert.equal((await verifyWith(leaf, [ca], root, 'basic')).verstat, 'TN-Validation-Passed');
    const strict = await verifyWith(leaf, [ca], root, 'strict');
    assert.equal(strict.reasonCode, 437);
    assert.match(strict.reasonDesc ?? '', /Plain CA.*SHAKEN/);
  });
});
