import { verify } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { CallshieldError } from '../errors.js';
import { readChild, readDerChildren, readDerNode, readDerOid } from './der.js';
import type { DerNode } from './der.js';
import type { CrlFetcher } from './fetch-certificate.js';
import { rejectIdentity } from './stir-rejection.js';

// Revocation by CRL (ATIS-1000080 §6.3.3 and §6.4.1: each end-entity certificate names one CRL,
// published by the STI-PA; RFC 5280 §5 and §6.3).

export interface RevocationList {
  /** Serial numbers, upper-case hex without leading zeros (as node:crypto prints them). */
  revoked: Set<string>;
  thisUpdate: number;
  nextUpdate: number | undefined;
}

export interface CrlPolicy {
  fetcher: CrlFetcher;
  /** When the CRL cannot be fetched, verified or is out of date: accept (true) or refuse with 437 (false, default). */
  allowUnavailable?: boolean;
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

/**
 * Parses a DER or PEM CRL and checks its signature against one of `issuers`.
 * Throws STIR_INVALID_CERTIFICATE when it is malformed or no issuer signed it.
 */
export function readRevocationList(body: Buffer, issuers: readonly X509Certificate[]): RevocationList {
  const der = toDer(body);
  const top = readDerChildren(der, readDerNode(der, 0));
  const tbsNode = readChild(top, 0, 'tbsCertList');
  const algorithm = readDerOid(der, readChild(readDerChildren(der, readChild(top, 1, 'signatureAlgorithm')), 0, 'algorithm'));
  const sigNode = readChild(top, 2, 'signatureValue');
  const signature = der.subarray(sigNode.start + 1, sigNode.end);
  const tbs = der.subarray(tbsNode.offset, tbsNode.end);
  const hash = algorithm === '1.2.840.10045.4.3.2' || algorithm === '1.2.840.113549.1.1.11' ? 'sha256' : undefined;
  if (hash === undefined) throw new CallshieldError('STIR_INVALID_CERTIFICATE', `Unsupported CRL signature algorithm ${algorithm}`, { field: 'crl' });
  const signer = issuers.find((issuer) => {
    try {
      return verify(hash, tbs, issuer.publicKey, signature);
    } catch {
      return false;
    }
  });
  if (signer === undefined) throw new CallshieldError('STIR_INVALID_CERTIFICATE', 'No trusted issuer signed the CRL', { field: 'crl' });

  const fields = readDerChildren(der, tbsNode);
  let i = fields[0]?.tag === 0x02 ? 1 : 0; // optional version
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

/**
 * Refuses (437, TN-Validation-Failed) a leaf listed on its CRL. A CRL that cannot be fetched,
 * verified, or is past nextUpdate is refused too unless the policy allows "CRL unavailable".
 */
export async function checkRevocation(
  leaf: X509Certificate,
  crlUrls: readonly string[],
  issuers: readonly X509Certificate[],
  policy: CrlPolicy,
  cache: CrlCache,
  now: number,
): Promise<void> {
  for (const url of crlUrls) {
    let list = cache.get(url, now);
    if (list === undefined) {
      try {
        const doc = await policy.fetcher.fetchCrl(url);
        list = readRevocationList(doc.body, issuers);
        if (list.nextUpdate !== undefined && list.nextUpdate < now) throw new Error('The CRL is past its nextUpdate');
        cache.set(url, list);
      } catch (cause) {
        if (policy.allowUnavailable) continue;
        rejectIdentity(437, 'The certificate revocation list is unavailable', {
          verstat: 'TN-Validation-Failed',
          code: 'STIR_CERTIFICATE_UNTRUSTED',
          field: 'x5u',
          cause,
        });
      }
    }
    if (list.revoked.has(normaliseSerial(leaf.serialNumber))) {
      rejectIdentity(437, 'The certificate is revoked', { verstat: 'TN-Validation-Failed', code: 'STIR_CERTIFICATE_UNTRUSTED', field: 'x5u' });
    }
  }
}
