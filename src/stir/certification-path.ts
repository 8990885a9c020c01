import type { X509Certificate } from 'node:crypto';
import { checkCertificateProfile } from './certificate-profile.js';
import { readDerChildren, readDerNode } from './der.js';
import { readCertificateFields } from './read-certificate.js';
import { rejectIdentity } from './stir-rejection.js';

// What RFC 5280 §6.1.4 asks of every CA certificate between the leaf and the trust anchor, and the
// ATIS-1000080 §6.4.1 profile of a SHAKEN intermediate. validateCertificateChain builds the path
// (names, signatures, validity); this checks what the intermediates allow.
//
// The trust anchor is not a certificate of the path (RFC 5280 §6.1.1(d): it is the input that
// starts the walk). Its own basicConstraints/pathLen and profile are not checked, which is what
// the RFC says and what OpenSSL does by default: the STI-PA's trust list is trusted as configured.

/** Which profile level the caller enforces; mirrors ProfileEnforcement of the resolver. */
export type CaProfileEnforcement = 'basic' | 'strict' | 'off';

/**
 * The findings of checkCertificateProfile that decide whether an intermediate may issue SHAKEN
 * certificates at all ('basic'): v3, P-256, BasicConstraints CA:TRUE and critical, KeyUsage
 * keyCertSign and critical. 'strict' enforces every finding, 'off' only RFC 5280.
 */
const BASIC_CA_RULES = new Set([
  'version-not-v3', 'key-algorithm', 'basic-constraints-missing', 'basic-constraints-not-critical', 'basic-constraints-not-ca',
  'key-usage-missing', 'key-usage-not-critical', 'key-usage-no-cert-sign',
]);

const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
const KU_KEY_CERT_SIGN = 0x04;

interface CaConstraints {
  ca: boolean;
  /** undefined when the certificate sets no pathLenConstraint (no limit). */
  pathLen: number | undefined;
  /** undefined when there is no KeyUsage extension (RFC 5280 §6.1.4(n) then has nothing to check). */
  keyCertSign: boolean | undefined;
  selfIssued: boolean;
}

function readCaConstraints(cert: X509Certificate): CaConstraints {
  const fields = readCertificateFields(cert);
  let ca = false;
  let pathLen: number | undefined;
  const bc = fields.extensions.find((e) => e.oid === BASIC_CONSTRAINTS);
  if (bc !== undefined) {
    // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
    for (const part of readDerChildren(bc.value, readDerNode(bc.value, 0))) {
      if (part.tag === 0x01) ca = bc.value[part.start] !== 0;
      if (part.tag === 0x02) {
        let n = 0;
        for (let i = part.start; i < part.end; i++) n = n * 256 + (bc.value[i] as number);
        pathLen = n;
      }
    }
  }
  let keyCertSign: boolean | undefined;
  const ku = fields.extensions.find((e) => e.oid === KEY_USAGE);
  if (ku !== undefined) {
    const bits = readDerNode(ku.value, 0);
    keyCertSign = bits.start + 1 < bits.end && ((ku.value[bits.start + 1] as number) & KU_KEY_CERT_SIGN) !== 0;
  }
  return { ca, pathLen, keyCertSign, selfIssued: cert.subject === cert.issuer };
}

function refuse(desc: string): never {
  return rejectIdentity(437, desc, { verstat: 'TN-Validation-Failed', code: 'STIR_CERTIFICATE_UNTRUSTED', field: 'x5u' });
}

function nameOf(cert: X509Certificate): string {
  return cert.subject.replace(/\n/g, ', ');
}

/**
 * Checks every intermediate CA of `path` (leaf … anchor, as validateCertificateChain returns it):
 * RFC 5280 §6.1.4 (k) CA:TRUE, (l)/(m) pathLenConstraint, (n) keyCertSign, then the ATIS-1000080
 * profile of a CA certificate at the given level. A violation is 437 TN-Validation-Failed naming
 * the certificate and the rule.
 */
export function checkCertificationPath(path: readonly X509Certificate[], enforcement: CaProfileEnforcement = 'basic'): void {
  // The last element is the trust anchor (or the leaf itself, when the leaf is trusted directly).
  const intermediates = path.slice(1, -1);
  let constraints: CaConstraints[];
  try {
    constraints = intermediates.map(readCaConstraints);
  } catch (cause) {
    return rejectIdentity(437, 'An intermediate certificate cannot be read', { verstat: 'TN-Validation-Failed', field: 'x5u', cause });
  }
  for (const [i, cert] of intermediates.entries()) {
    const c = constraints[i] as CaConstraints;
    if (!c.ca) refuse(`Intermediate '${nameOf(cert)}' is not a CA (RFC 5280 §6.1.4(k))`);
    if (c.keyCertSign === false) refuse(`Intermediate '${nameOf(cert)}' has no keyCertSign in its KeyUsage (RFC 5280 §6.1.4(n))`);
    if (c.pathLen !== undefined) {
      // RFC 5280 §6.1.4(l)/(m): the non-self-issued intermediates below this one (towards the leaf)
      // may number at most its pathLenConstraint; the leaf itself does not count.
      const below = constraints.slice(0, i).filter((b) => !b.selfIssued).length;
      if (below > c.pathLen) {
        refuse(`Intermediate '${nameOf(cert)}' has pathLenConstraint ${c.pathLen} but ${below} CA certificate(s) follow it (RFC 5280 §6.1.4)`);
      }
    }
    if (enforcement === 'off') continue;
    const profile = checkCertificateProfile(cert, { role: 'intermediate' });
    // ATIS-1000092: the SP's own CA that issues delegate certificates carries a TNAuthList.
    const broken = profile.findings.filter((f) => (enforcement === 'strict' && f.code !== 'tn-auth-list-in-ca') || BASIC_CA_RULES.has(f.code));
    if (broken.length > 0) {
      refuse(`Intermediate '${nameOf(cert)}' breaks the SHAKEN CA profile (ATIS-1000080 §6.4.1): ${broken.map((f) => f.text).join('; ')}`);
    }
  }
}
