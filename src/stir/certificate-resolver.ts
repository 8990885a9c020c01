import type { KeyObject, X509Certificate } from 'node:crypto';
import { createCertificateCache } from './certificate-cache.js';
import type { CertificateCache, CertificateCacheOptions } from './certificate-cache.js';
import { parsePemBundle, parseTrustAnchors, validateCertificateChain } from './certificate-chain.js';
import { checkCertificateProfile } from './certificate-profile.js';
import type { CertificateProfile } from './certificate-profile.js';
import { checkRevocation, createCrlCache } from './crl-check.js';
import type { CrlPolicy } from './crl-check.js';
import type { CertificateFetcher, FetchedDocument } from './fetch-certificate.js';
import { readRejection, rejectIdentity } from './stir-rejection.js';
import { isCallshieldError } from '../errors.js';

/** What the warm verification path needs from an x5u: the key, ready to use, and what it stands for. */
export interface VerifiedCertificate {
  x5u: string;
  publicKey: KeyObject;
  spc: string | undefined;
  serialNumber: string;
  notAfter: number;
  /** Profile findings that were tolerated (all of them with profile 'off'). */
  findings: CertificateProfile['findings'];
}

/**
 * How much of the ATIS-1000080 profile a verifier enforces on the signing certificate:
 * - 'basic' (default): what authorises the signature: P-256 key, v3, TNAuthList with one SPC,
 *   KeyUsage digitalSignature (critical), BasicConstraints CA:FALSE (critical);
 * - 'strict': every finding of checkCertificateProfile (subject DN, policies, CRL DP, key ids...);
 * - 'off': chain only (for old interop vectors such as libstirshaken's).
 */
export type ProfileEnforcement = 'basic' | 'strict' | 'off';

const BASIC_RULES = new Set([
  'version-not-v3', 'key-algorithm', 'basic-constraints-missing', 'basic-constraints-not-critical', 'basic-constraints-ca',
  'key-usage-missing', 'key-usage-not-critical', 'key-usage-not-digital-signature', 'tn-auth-list-missing',
  'tn-auth-list-malformed', 'tn-auth-list-count', 'tn-auth-list-not-spc', 'tn-auth-list-spc-empty',
]);

export interface CertificateResolverOptions {
  fetcher: CertificateFetcher;
  /** PEM bundle of trusted STI-CA certificates (CALLSHIELD_STIR_CA_FILE's content). */
  trustAnchorsPem: string;
  cache?: CertificateCache<VerifiedCertificate> | CertificateCacheOptions;
  /** CRL checking; omitted means no revocation check. */
  crl?: CrlPolicy;
  profile?: ProfileEnforcement;
}

export interface CertificateResolver {
  /** The cached certificate for x5u, if any: the warm path, synchronous. */
  peek(x5u: string, now: number): VerifiedCertificate | undefined;
  /** Fetches, validates and caches; throws rejectIdentity errors (436 fetch/parse, 437 trust). */
  resolve(x5u: string, now: number): Promise<VerifiedCertificate>;
  readonly cache: CertificateCache<VerifiedCertificate>;
}

function isCache(value: unknown): value is CertificateCache<VerifiedCertificate> {
  return typeof value === 'object' && value !== null && typeof (value as { get?: unknown }).get === 'function';
}

export function createCertificateResolver(options: CertificateResolverOptions): CertificateResolver {
  const anchors = parseTrustAnchors(options.trustAnchorsPem);
  const cache = isCache(options.cache) ? options.cache : createCertificateCache<VerifiedCertificate>(options.cache);
  const crlCache = createCrlCache();
  const enforcement = options.profile ?? 'basic';
  const inFlight = new Map<string, Promise<VerifiedCertificate>>();

  async function load(x5u: string, now: number): Promise<VerifiedCertificate> {
    let doc: FetchedDocument;
    try {
      doc = await options.fetcher.fetchCertificate(x5u);
    } catch (cause) {
      // RFC 8224 §6.2.2 / ATIS-1000082 E8: an info URI that cannot be dereferenced is 436; the text
      // and code say why (x5u-failure.ts).
      const why = isCallshieldError(cause) ? cause : undefined;
      return rejectIdentity(436, `Failed to dereference the 'info' URI: ${why?.message ?? 'the request failed'}`, { field: 'x5u', code: why?.code ?? 'STIR_CERTIFICATE_FETCH_FAILED', cause });
    }
    let bundle: X509Certificate[];
    try {
      bundle = parsePemBundle(doc.body.toString('latin1'), 'x5u');
    } catch (cause) {
      return rejectIdentity(436, 'The x5u document is not a PEM certificate (bad certificate)', { field: 'x5u', code: 'STIR_INVALID_CERTIFICATE', cause });
    }
    const leaf = bundle[0];
    if (leaf === undefined) return rejectIdentity(436, 'The x5u document holds no certificate (bad certificate)', { field: 'x5u', code: 'STIR_INVALID_CERTIFICATE' });
    const chain = validateCertificateChain(leaf, bundle.slice(1), anchors, now);
    let profile: CertificateProfile;
    try {
      profile = checkCertificateProfile(leaf, { role: 'end-entity' });
    } catch (cause) {
      return rejectIdentity(437, 'The signing certificate cannot be read', { verstat: 'TN-Validation-Failed', field: 'x5u', cause });
    }
    const broken = enforcement === 'off' ? [] : profile.findings.filter((f) => enforcement === 'strict' || BASIC_RULES.has(f.code));
    if (broken.length > 0) {
      rejectIdentity(437, `The signing certificate breaks the SHAKEN profile: ${broken.map((f) => f.text).join('; ')}`, {
        verstat: 'TN-Validation-Failed',
        code: 'STIR_INVALID_CERTIFICATE',
        field: 'x5u',
      });
    }
    if (options.crl !== undefined && profile.crlUrls.length > 0) {
      await checkRevocation(leaf, profile.crlUrls, [...chain.slice(1), ...anchors], options.crl, crlCache, now);
    }
    const verified: VerifiedCertificate = {
      x5u,
      publicKey: leaf.publicKey,
      spc: profile.spc,
      serialNumber: leaf.serialNumber,
      notAfter: profile.notAfter,
      findings: profile.findings,
    };
    cache.set(x5u, verified, { maxAgeSeconds: doc.maxAgeSeconds, noStore: doc.noStore, notAfter: Math.min(...chain.map((c) => Date.parse(c.validTo))) }, now);
    return verified;
  }

  return {
    cache,
    peek: (x5u, now) => cache.get(x5u, now),
    async resolve(x5u, now) {
      const hit = cache.get(x5u, now);
      if (hit !== undefined) return hit;
      // Concurrent calls signed with the same certificate share one fetch.
      let pending = inFlight.get(x5u);
      if (pending === undefined) {
        pending = load(x5u, now).finally(() => inFlight.delete(x5u));
        inFlight.set(x5u, pending);
      }
      try {
        return await pending;
      } catch (err) {
        if (readRejection(err) === undefined) {
          rejectIdentity(437, 'The signing certificate could not be validated', { verstat: 'TN-Validation-Failed', field: 'x5u', cause: err });
        }
        throw err;
      }
    },
  };
}
