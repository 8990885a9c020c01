import type { KeyObject, X509Certificate } from 'node:crypto';
import { createCertificateCache } from './certificate-cache.js';
import type { CertificateCache, CertificateCacheOptions } from './certificate-cache.js';
import { parsePemBundle, parseTrustAnchors, validateCertificateChain } from './certificate-chain.js';
import { checkCertificateProfile } from './certificate-profile.js';
import { checkCertificationPath } from './certification-path.js';
import { DELEGATE_WAIVED_FINDINGS, delegateScopeOf } from './delegate-certificate.js';
import type { TnScopeEntry } from './delegate-certificate.js';
import type { CertificateProfile } from './certificate-profile.js';
import { checkRevocation, createCrlCache, revocationIsCurrent } from './crl-check.js';
import type { RevocationSubject } from './crl-check.js';
import { readCertificateFields } from './read-certificate.js';
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
  /** A delegate certificate's numbers (RFC 9060); `orig` must be one of them. Undefined for SPC certificates. */
  tnScope?: TnScopeEntry[];
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
  /**
   * Replaces the trust anchors (the STI-PA's trust list, reloaded without a restart) and drops
   * every cached certificate and CRL. Throws, keeping the old anchors, when the PEM holds none.
   * Returns how many anchors were read.
   */
  setTrustAnchors(pem: string): number;
}

function isCache(value: unknown): value is CertificateCache<VerifiedCertificate> {
  return typeof value === 'object' && value !== null && typeof (value as { get?: unknown }).get === 'function';
}

export function createCertificateResolver(options: CertificateResolverOptions): CertificateResolver {
  let anchors = parseTrustAnchors(options.trustAnchorsPem);
  const cache = isCache(options.cache) ? options.cache : createCertificateCache<VerifiedCertificate>(options.cache);
  let crlCache = createCrlCache();
  // The CRLs each cached certificate is checked against, so a warm hit is re-checked once its CRL
  // is refreshed (kept beside the entry, not in it: the entry is plain data).
  const revocations = new WeakMap<VerifiedCertificate, RevocationSubject>();
  const stillGood = (hit: VerifiedCertificate, now: number): boolean => {
    const subject = revocations.get(hit);
    return subject === undefined || options.crl === undefined || revocationIsCurrent(subject, options.crl, crlCache, now);
  };
  const enforcement = options.profile ?? 'basic';
  const inFlight = new Map<string, Promise<VerifiedCertificate>>();
  const rechecks = new Map<string, Promise<void>>();

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
    checkCertificationPath(chain, enforcement);
    let profile: CertificateProfile;
    try {
      profile = checkCertificateProfile(leaf, { role: 'end-entity' });
    } catch (cause) {
      return rejectIdentity(437, 'The signing certificate cannot be read', { verstat: 'TN-Validation-Failed', field: 'x5u', cause });
    }
    // A delegate certificate (RFC 9060) lists numbers instead of an SPC; orig is checked per call.
    const tnScope = delegateScopeOf(profile, chain[1]);
    const broken = (enforcement === 'off' ? [] : profile.findings.filter((f) => enforcement === 'strict' || BASIC_RULES.has(f.code)))
      .filter((f) => tnScope === undefined || !DELEGATE_WAIVED_FINDINGS.has(f.code));
    if (broken.length > 0) {
      rejectIdentity(437, `The signing certificate breaks the SHAKEN profile: ${broken.map((f) => f.text).join('; ')}`, {
        verstat: 'TN-Validation-Failed',
        code: 'STIR_INVALID_CERTIFICATE',
        field: 'x5u',
      });
    }
    let revocation: RevocationSubject | undefined;
    if (options.crl !== undefined && profile.crlUrls.length > 0) {
      // RFC 5280 §6.3.3(b): the CRL is issued by the distribution point's cRLIssuer (SHAKEN: the
      // STI-PA) when it names one, else by the leaf's issuer.
      const crlIssuer = profile.crlIssuers[0] ?? readCertificateFields(leaf).issuerDer;
      revocation = { leaf, urls: profile.crlUrls, issuers: [...chain.slice(1), ...anchors], crlIssuer };
      await checkRevocation(revocation, options.crl, crlCache, now);
    }
    const verified: VerifiedCertificate = {
      x5u,
      publicKey: leaf.publicKey,
      spc: profile.spc,
      serialNumber: leaf.serialNumber,
      notAfter: profile.notAfter,
      findings: profile.findings,
    };
    if (tnScope !== undefined) verified.tnScope = tnScope;
    if (revocation !== undefined) revocations.set(verified, revocation);
    cache.set(x5u, verified, { maxAgeSeconds: doc.maxAgeSeconds, noStore: doc.noStore, notAfter: Math.min(...chain.map((c) => Date.parse(c.validTo))) }, now);
    return verified;
  }

  return {
    cache,
    peek(x5u, now) {
      const hit = cache.get(x5u, now);
      return hit !== undefined && stillGood(hit, now) ? hit : undefined;
    },
    setTrustAnchors(pem) {
      const next = parseTrustAnchors(pem);
      anchors = next;
      // Every cached result was validated against the old anchors (and CRL issuers): start afresh.
      cache.clear();
      crlCache = createCrlCache();
      return next.length;
    },
    async resolve(x5u, now) {
      const hit = cache.get(x5u, now);
      if (hit !== undefined) {
        const subject = revocations.get(hit);
        if (subject === undefined || options.crl === undefined || revocationIsCurrent(subject, options.crl, crlCache, now)) return hit;
        // Its CRL was refreshed (or is due): check the cached certificate again before using it.
        // Concurrent calls on the same certificate share one CRL refresh.
        let recheck = rechecks.get(x5u);
        if (recheck === undefined) {
          recheck = checkRevocation(subject, options.crl, crlCache, now).finally(() => rechecks.delete(x5u));
          rechecks.set(x5u, recheck);
        }
        try {
          await recheck;
        } catch (err) {
          cache.delete(x5u);
          throw err;
        }
        return hit;
      }
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
