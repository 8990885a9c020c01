import { X509Certificate } from 'node:crypto';
import { CallshieldError } from '../errors.js';
import { rejectIdentity } from './stir-rejection.js';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const MAX_DEPTH = 5;

/** Every CERTIFICATE block of a PEM bundle, in order (leaf first for an x5u document). */
export function parsePemBundle(pem: string, field = 'certificate'): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch (cause) {
      throw new CallshieldError('STIR_INVALID_CERTIFICATE', 'A PEM block is not a readable certificate', { field, cause });
    }
  });
}

/** The STI-CA trust anchors (the STI-PA's trusted CA list), from a PEM bundle such as CALLSHIELD_STIR_CA_FILE. */
export function parseTrustAnchors(pemBundle: string): X509Certificate[] {
  const anchors = parsePemBundle(pemBundle, 'trustAnchors');
  if (anchors.length === 0) {
    throw new CallshieldError('STIR_INVALID_CERTIFICATE', 'The trust anchor bundle holds no certificate', { field: 'trustAnchors' });
  }
  return anchors;
}

function isValidAt(cert: X509Certificate, now: number): boolean {
  return Date.parse(cert.validFrom) <= now && now <= Date.parse(cert.validTo);
}

function issuedBy(subject: X509Certificate, issuer: X509Certificate): boolean {
  return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
}

/**
 * Builds a path from the leaf through the bundle's intermediates to a trust anchor and checks every
 * signature and validity period (RFC 5280 §6.1, simplified: no policy or name constraints).
 * Untrusted is 437 with TN-Validation-Failed (ATIS-1000082 case E17). Returns leaf … anchor.
 */
export function validateCertificateChain(
  leaf: X509Certificate,
  intermediates: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  now: number,
): X509Certificate[] {
  const untrusted = (desc: string): never =>
    rejectIdentity(437, desc, { verstat: 'TN-Validation-Failed', code: 'STIR_CERTIFICATE_UNTRUSTED', field: 'x5u' });
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    if (!isValidAt(current, now)) untrusted(`Certificate '${current.subject.replace(/\n/g, ', ')}' is outside its validity period`);
    if (depth > 0 && !current.ca) untrusted('An intermediate certificate is not a CA');
    const anchor = anchors.find((a) => a.fingerprint256 === current.fingerprint256 || issuedBy(current, a));
    if (anchor !== undefined) {
      if (!isValidAt(anchor, now)) untrusted('The trust anchor is outside its validity period');
      if (anchor.fingerprint256 !== current.fingerprint256) path.push(anchor);
      return path;
    }
    const next = intermediates.find((c) => !path.includes(c) && issuedBy(current, c));
    if (next === undefined) break;
    path.push(next);
    current = next;
  }
  return untrusted('The certificate does not chain to a trusted STI-CA');
}
