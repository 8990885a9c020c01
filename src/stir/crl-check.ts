import { verify } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { CallshieldError } from '../errors.js';
import { readChild, readDerChildren, readDerNode, readDerOid } from './der.js';
import type { DerNode } from './der.js';
import { readCertificateFields, readName } from './read-certificate.js';
import type { CrlFetcher } from './fetch-certificate.js';
import { rejectIdentity } from './stir-rejection.js';

// Revocation by CRL (ATIS-1000080 §6.3.3 and §6.4.1: each end-entity certificate names one CRL,
// published by the STI-PA; RFC 5280 §5 and §6.3).

export interface RevocationList {
  /** Serial numbers, upper-case hex without leading zeros (as node:crypto prints them). */
  revoked: Set<string>;
  thisUpdate: number;
  nextUpdate: number | undefined;
  /** Set on a placeholder kept after a failed fetch: why the CRL could not be used. */
  unavailable?: string;
}

export interface CrlPolicy {
  fetcher: CrlFetcher;
  /**
   * When the CRL cannot be fetched, verified or is out of date: accept ('soft', true) or refuse with
   * 437 ('hard', false, the default). CALLSHIELD_STIR_CRL picks it for the service.
   */
  allowUnavailable?: boolean;
  /** Told of every CRL that could not be used (once per retry period), so soft mode is not silent. */
  onUnavailable?: (event: { url: string; reason: string; accepted: boolean }) => void;
}

/** A failed CRL is not fetched again for this long (each call would otherwise wait on it). */
export const CRL_RETRY_MS = 30_000;

/** What a cached certificate needs to be re-checked against its CRLs on a later call. */
export interface RevocationSubject {
  leaf: X509Certificate;
  urls: readonly string[];
  /** Certificates whose key may sign the CRL: the chain above the leaf and the trust anchors. */
  issuers: readonly X509Certificate[];
  /** The CRL's issuer Name (DER): the distribution point's cRLIssuer, else the leaf's issuer. */
  crlIssuer: Buffer;
}

function normaliseSerial(hex: string): string {
  return hex.toUpperCase().replace(/^0+(?=.)/, '');
}

function readTime(der: Buffer, node: DerNode): number {
  const text = der.subarray(node.start, node.end).toString('latin1');
  // UTCTime YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1) or GeneralizedTime YYYYMMDDHHMMSSZ.
  const full = node.tag === 0x17 ? `${Number(text.slice(0, 2)) >= 50 ? '19' : '20'}${text}` : text;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(full);
  if (!m) throw new CallshieldError('STIR_INVALID_CERTIFICATE', 'The CRL has a malformed time', { field: 'crl' });
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function toDer(body: Buffer): Buffer {
  const text = body.toString('latin1');
  const m = /-----BEGIN (?:X509 )?CRL-----([\s\S]*?)-----END (?:X509 )?CRL-----/.exec(text);
  return m ? Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64') : body;
}

function nameKey(der: Buffer): string {
  // RFC 5280 §7.1 compares names after normalising case and white space; the attribute order and
  // types must agree.
  return readName(der, readDerNode(der, 0)).map((a) => `${a.oid}=${a.value.trim().replace(/\s+/g, ' ').toLowerCase()}`).join(',');
}

function sameName(a: Buffer, b: Buffer): boolean {
  return a.equals(b) || nameKey(a) === nameKey(b);
}

function describeName(der: Buffer): string {
  const short: Record<string, string> = { '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.6': 'C' };
  return readName(der, readDerNode(der, 0)).map((a) => `${short[a.oid] ?? a.oid}=${a.value}`).join(', ');
}

/**
 * Parses a DER or PEM CRL and checks its signature. With `expectedIssuer` (RFC 5280 §6.3.3(b): the
 * cRLIssuer of the distribution point, else the certificate's issuer), the CRL must name that
 * issuer and be signed by the key of a certificate among `issuers` with that subject: an STI-PA
 * CRL is verified against the STI-PA's key, and a CRL signed by anyone else is refused. Without it,
 * any of `issuers` may have signed it. Throws STIR_INVALID_CERTIFICATE when it is malformed or
 * no fitting issuer signed it.
 */
export function readRevocationList(body: Buffer, issuers: readonly X509Certificate[], expectedIssuer?: Buffer): RevocationList {
  const der = toDer(body);
  const top = readDerChildren(der, readDerNode(der, 0));
  const tbsNode = readChild(top, 0, 'tbsCertList');
  const algorithm = readDerOid(der, readChild(readDerChildren(der, readChild(top, 1, 'signatureAlgorithm')), 0, 'algorithm'));
  const sigNode = readChild(top, 2, 'signatureValue');
  const signature = der.subarray(sigNode.start + 1, sigNode.end);
  const tbs = der.subarray(tbsNode.offset, tbsNode.end);
  const hash = algorithm === '1.2.840.10045.4.3.2' || algorithm === '1.2.840.113549.1.1.11' ? 'sha256' : undefined;
  if (hash === undefined) throw new CallshieldError('STIR_INVALID_CERTIFICATE', `Unsupported CRL signature algorithm ${algorithm}`, { field: 'crl' });
  const fields = readDerChildren(der, tbsNode);
  let i = fields[0]?.tag === 0x02 ? 1 : 0; // optional version
  const issuerNode = readChild(fields, i + 1, 'issuer');
  const crlIssuer = Buffer.from(der.subarray(issuerNode.offset, issuerNode.end));
  let candidates = issuers;
  if (expectedIssuer !== undefined) {
    if (!sameName(crlIssuer, expectedIssuer)) {
      throw new CallshieldError('STIR_INVALID_CERTIFICATE', `The CRL is issued by '${describeName(crlIssuer)}', not by '${describeName(expectedIssuer)}'`, { field: 'crl' });
    }
    candidates = issuers.filter((c) => sameName(readCertificateFields(c).subjectDer, crlIssuer));
    if (candidates.length === 0) {
      throw new CallshieldError('STIR_INVALID_CERTIFICATE', `No trusted certificate for the CRL issuer '${describeName(crlIssuer)}' (add it to the trust anchors)`, { field: 'crl' });
    }
  }
  const signer = candidates.find((issuer) => {
    try {
      return verify(hash, tbs, issuer.publicKey, signature);
    } catch {
      return false;
    }
  });
  if (signer === undefined) throw new CallshieldError('STIR_INVALID_CERTIFICATE', 'No trusted issuer signed the CRL', { field: 'crl' });
  i += 2; // signature, issuer
  const thisUpdate = readTime(der, readChild(fields, i, 'thisUpdate'));
  i++;
  let nextUpdate: number | undefined;
  const maybeNext = fields[i];
  if (maybeNext !== undefined && (maybeNext.tag === 0x17 || maybeNext.tag === 0x18)) {
    nextUpdate = readTime(der, maybeNext);
    i++;
  }
  const revoked = new Set<string>();
  const list = fields[i];
  if (list !== undefined && list.tag === 0x30) {
    for (const entry of readDerChildren(der, list)) {
      const serial = readChild(readDerChildren(der, entry), 0, 'userCertificate');
      revoked.add(normaliseSerial(der.subarray(serial.start, serial.end).toString('hex')));
    }
  }
  return { revoked, thisUpdate, nextUpdate };
}

export interface CrlCache {
  get(url: string, now: number): RevocationList | undefined;
  set(url: string, list: RevocationList): void;
}

/** CRLs are kept until their nextUpdate (or an hour when they name none), at most `maxEntries`. */
export function createCrlCache(maxEntries = 100): CrlCache {
  const lists = new Map<string, RevocationList>();
  return {
    get(url, now) {
      const list = lists.get(url);
      if (list === undefined) return undefined;
      if (now > (list.nextUpdate ?? list.thisUpdate + 3_600_000)) {
        lists.delete(url);
        return undefined;
      }
      return list;
    },
    set(url, list) {
      lists.delete(url);
      lists.set(url, list);
      while (lists.size > maxEntries) {
        const oldest = lists.keys().next();
        if (oldest.done) break;
        lists.delete(oldest.value);
      }
    },
  };
}

function whyUnavailable(cause: unknown): string {
  if (cause instanceof CallshieldError) return cause.message;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Refuses (437, TN-Validation-Failed) a leaf listed on its CRL. A CRL that cannot be fetched,
 * verified, or is past nextUpdate is refused too unless the policy allows "CRL unavailable" (soft);
 * either way the policy's onUnavailable hears of it. A failed CRL is retried after CRL_RETRY_MS.
 */
export async function checkRevocation(subject: RevocationSubject, policy: CrlPolicy, cache: CrlCache, now: number): Promise<void> {
  for (const url of subject.urls) {
    let list = cache.get(url, now);
    if (list === undefined) {
      try {
        const doc = await policy.fetcher.fetchCrl(url);
        list = readRevocationList(doc.body, subject.issuers, subject.crlIssuer);
        if (list.nextUpdate !== undefined && list.nextUpdate < now) throw new Error('The CRL is past its nextUpdate');
      } catch (cause) {
        const reason = whyUnavailable(cause);
        list = { revoked: new Set(), thisUpdate: now, nextUpdate: now + CRL_RETRY_MS, unavailable: reason };
        policy.onUnavailable?.({ url, reason, accepted: policy.allowUnavailable === true });
      }
      cache.set(url, list);
    }
    if (list.unavailable !== undefined) {
      if (policy.allowUnavailable) continue;
      rejectIdentity(437, `The certificate revocation list ${url} is unavailable: ${list.unavailable}`, {
        verstat: 'TN-Validation-Failed',
        code: 'STIR_CERTIFICATE_UNTRUSTED',
        field: 'x5u',
      });
    }
    if (list.revoked.has(normaliseSerial(subject.leaf.serialNumber))) {
      rejectIdentity(437, 'The certificate is revoked', { verstat: 'TN-Validation-Failed', code: 'STIR_CERTIFICATE_UNTRUSTED', field: 'x5u' });
    }
  }
}

/**
 * Whether a cached certificate may be used without a new revocation check: every CRL it names is
 * cached and current (not past nextUpdate), lists it as not revoked, and, in hard mode, was
 * available. False sends the caller to checkRevocation, which refreshes the CRL: so a certificate
 * revoked after it was cached is refused on the first call after its CRL is refreshed.
 */
export function revocationIsCurrent(subject: RevocationSubject, policy: CrlPolicy, cache: CrlCache, now: number): boolean {
  const serial = normaliseSerial(subject.leaf.serialNumber);
  for (const url of subject.urls) {
    const list = cache.get(url, now);
    if (list === undefined || list.revoked.has(serial)) return false;
    if (list.unavailable !== undefined && !policy.allowUnavailable) return false;
  }
  return true;
}
