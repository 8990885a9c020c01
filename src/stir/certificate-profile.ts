import type { X509Certificate } from 'node:crypto';
import { readDerChildren, readDerNode, readDerOid, readDerString } from './der.js';
import { readCertificateFields } from './read-certificate.js';
import type { CertificateExtension, CertificateFields, NameAttribute } from './read-certificate.js';
import { TN_AUTH_LIST_OID, decodeTnAuthList } from './tn-auth-list.js';
import type { TnEntry } from './tn-auth-list.js';

// The SHAKEN certificate profile of ATIS-1000080 §6.4 and the STI Certificate Policy (CP 1.3/1.4),
// as martinisecurity/zlint's v3/lints/shaken encode it. Each finding has a stable code so callers
// (and tests) can tell which rule a certificate breaks.

export type CertificateRole = 'end-entity' | 'intermediate' | 'root';

export interface ProfileFinding {
  code: string;
  text: string;
}

export interface CertificateProfile {
  role: CertificateRole;
  /** The SPC of a one-entry TNAuthList, when there is one. */
  spc: string | undefined;
  /** The decoded TNAuthList entries (undefined when absent or malformed); delegates carry TNs. */
  tnAuthList: TnEntry[] | undefined;
  policies: string[];
  crlUrls: string[];
  /** cRLIssuer names (DER) of the distribution points; empty when the CRL is the certificate issuer's. */
  crlIssuers: Buffer[];
  notBefore: number;
  notAfter: number;
  findings: ProfileFinding[];
}

const OID = {
  cn: '2.5.4.3',
  serialNumber: '2.5.4.5',
  c: '2.5.4.6',
  o: '2.5.4.10',
  email: '1.2.840.113549.1.9.1',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  certificatePolicies: '2.5.29.32',
  crlDistributionPoints: '2.5.29.31',
  authorityKeyIdentifier: '2.5.29.35',
  subjectKeyIdentifier: '2.5.29.14',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

/** SHAKEN certificate policy arc, ATIS-1000080 §6.4.1 (…1.1.3 is CP 1.3, …1.1.4 is CP 1.4). */
export const SHAKEN_POLICY_ARC = '2.16.840.1.114569.1.1.';
export const SHAKEN_CP_1_3 = '2.16.840.1.114569.1.1.3';

const END_ENTITY_EXTENSIONS = new Set<string>([
  OID.basicConstraints, OID.keyUsage, OID.certificatePolicies, OID.crlDistributionPoints,
  OID.authorityKeyIdentifier, OID.subjectKeyIdentifier, TN_AUTH_LIST_OID,
]);
const CA_EXTENSIONS = new Set<string>([
  OID.basicConstraints, OID.keyUsage, OID.certificatePolicies, OID.crlDistributionPoints,
  OID.authorityKeyIdentifier, OID.subjectKeyIdentifier,
]);

const KU_DIGITAL_SIGNATURE = 0x80;
const KU_KEY_CERT_SIGN = 0x04;
const KU_CRL_SIGN = 0x02;

function extension(fields: CertificateFields, oid: string): CertificateExtension | undefined {
  return fields.extensions.find((e) => e.oid === oid);
}

function attrs(name: readonly NameAttribute[], oid: string): string[] {
  return name.filter((a) => a.oid === oid).map((a) => a.value);
}

function readKeyUsage(value: Buffer): { bits: number; extra: boolean } {
  const node = readDerNode(value, 0);
  const first = node.start + 1 < node.end ? (value[node.start + 1] as number) : 0;
  let extra = false;
  for (let i = node.start + 2; i < node.end; i++) if (value[i] !== 0) extra = true;
  return { bits: first, extra };
}

function readBasicConstraintsCa(value: Buffer): boolean {
  const seq = readDerNode(value, 0);
  const first = readDerChildren(value, seq)[0];
  return first !== undefined && first.tag === 0x01 && value[first.start] !== 0;
}

function readPolicies(value: Buffer): string[] {
  const seq = readDerNode(value, 0);
  return readDerChildren(value, seq).map((info) => {
    const oid = readDerChildren(value, info)[0];
    return oid ? readDerOid(value, oid) : '';
  });
}

interface DistributionPoint {
  urls: string[];
  hasCrlIssuer: boolean;
  /** The directoryName(s) of cRLIssuer, DER Name each: whose key signs the CRL (the STI-PA's). */
  crlIssuers: Buffer[];
}

// DistributionPoint ::= SEQUENCE { distributionPoint [0] { fullName [0] GeneralNames }, reasons [1], cRLIssuer [2] }
function readDistributionPoints(value: Buffer): DistributionPoint[] {
  const seq = readDerNode(value, 0);
  return readDerChildren(value, seq).map((dp) => {
    const urls: string[] = [];
    const crlIssuers: Buffer[] = [];
    let hasCrlIssuer = false;
    for (const part of readDerChildren(value, dp)) {
      if (part.tag === 0xa2) {
        hasCrlIssuer = true;
        // cRLIssuer [2] IMPLICIT GeneralNames; directoryName [4] EXPLICIT Name.
        for (const gn of readDerChildren(value, part)) {
          if (gn.tag !== 0xa4) continue;
          const name = readDerNode(value, gn.start, gn.end);
          crlIssuers.push(Buffer.from(value.subarray(name.offset, name.end)));
        }
      }
      if (part.tag !== 0xa0) continue;
      for (const name of readDerChildren(value, part)) {
        if (name.tag !== 0xa0) continue;
        for (const gn of readDerChildren(value, name)) if (gn.tag === 0x86) urls.push(readDerString(value, gn));
      }
    }
    return { urls, hasCrlIssuer, crlIssuers };
  });
}

function readTnAuthList(value: Buffer): TnEntry[] | undefined {
  try {
    return decodeTnAuthList(value);
  } catch {
    return undefined;
  }
}

/** The SPC of a certificate whose TNAuthList holds exactly one SPC entry, else undefined. */
export function readCertificateSpc(certificate: string | Uint8Array | X509Certificate): string | undefined {
  const ext = extension(readCertificateFields(certificate), TN_AUTH_LIST_OID);
  const entries = ext ? readTnAuthList(ext.value) : undefined;
  const only = entries?.length === 1 ? entries[0] : undefined;
  return only?.type === 'spc' && only.spc !== '' ? only.spc : undefined;
}

function isSelfIssued(fields: CertificateFields): boolean {
  return fields.node.subject === fields.node.issuer;
}

export function checkCertificateProfile(
  certificate: string | Uint8Array | X509Certificate,
  options: { role?: CertificateRole; now?: number } = {},
): CertificateProfile {
  const fields = readCertificateFields(certificate);
  const findings: ProfileFinding[] = [];
  const add = (code: string, text: string): void => {
    findings.push({ code, text });
  };
  const bc = extension(fields, OID.basicConstraints);
  const isCa = bc !== undefined && readBasicConstraintsCa(bc.value);
  const role: CertificateRole = options.role ?? (isCa ? (isSelfIssued(fields) ? 'root' : 'intermediate') : 'end-entity');
  const ee = role === 'end-entity';
  const notBefore = Date.parse(fields.node.validFrom);
  const notAfter = Date.parse(fields.node.validTo);

  // ATIS-1000080 §6.4.1: X.509 v3, ECDSA P-256 with SHA-256, serial of at least 64 random bits.
  if (fields.version !== 3) add('version-not-v3', 'STI certificates shall be X.509 version 3');
  const serialNegative = ((fields.serial[0] ?? 0) & 0x80) !== 0;
  let magnitude = fields.serial;
  while (magnitude.length > 0 && magnitude[0] === 0) magnitude = magnitude.subarray(1);
  if (serialNegative || magnitude.length === 0) add('serial-not-positive', 'The serial number shall be a positive integer');
  else if (magnitude.length < 8) add('serial-too-short', 'The serial number shall contain at least 64 bits');
  if (fields.signatureOid !== OID.ecdsaWithSha256) add('signature-algorithm', 'The signature algorithm shall be ecdsa-with-SHA256');
  const key = fields.node.publicKey;
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    add('key-algorithm', 'The subject public key shall be an EC P-256 key');
  }
  if (options.now !== undefined) {
    if (options.now < notBefore) add('not-yet-valid', 'The certificate is not valid yet');
    if (options.now > notAfter) add('expired', 'The certificate has expired');
  }

  // Issuer and subject DN: C, O and CN present (ATIS-1000080 §6.4.1; CP 1.3 §3.1).
  for (const [which, name] of [['issuer', fields.issuer], ['subject', fields.subject]] as const) {
    if (attrs(name, OID.cn).length === 0) add(`${which}-cn-missing`, `The ${which} shall contain a CN`);
    if (attrs(name, OID.o).length === 0) add(`${which}-o-missing`, `The ${which} shall contain an O`);
    if (attrs(name, OID.c).length === 0) add(`${which}-c-missing`, `The ${which} shall contain a C`);
  }
  if (attrs(fields.subject, OID.email).length > 0) add('subject-email', 'The subject shall not contain an e-mail address');

  // Extensions.
  const allowed = ee ? END_ENTITY_EXTENSIONS : CA_EXTENSIONS;
  for (const ext of fields.extensions) {
    if (!allowed.has(ext.oid)) add('extension-not-allowed', `Extension ${ext.oid} is not allowed in a SHAKEN ${role} certificate`);
  }
  // RFC 5280 §4.2.1.9 and ATIS-1000080 §6.4.1: BasicConstraints critical; CA:FALSE for end entities.
  if (bc === undefined) add('basic-constraints-missing', 'BasicConstraints shall be present');
  else {
    if (!bc.critical) add('basic-constraints-not-critical', 'BasicConstraints shall be critical');
    if (ee && isCa) add('basic-constraints-ca', 'An end-entity certificate shall have CA:FALSE');
    if (!ee && !isCa) add('basic-constraints-not-ca', 'A CA certificate shall have CA:TRUE');
  }
  // KeyUsage critical; end entity: digitalSignature only; CA: keyCertSign (cRLSign allowed).
  const ku = extension(fields, OID.keyUsage);
  if (ku === undefined) add('key-usage-missing', 'KeyUsage shall be present');
  else {
    if (!ku.critical) add('key-usage-not-critical', 'KeyUsage shall be critical');
    const { bits, extra } = readKeyUsage(ku.value);
    if (ee && (bits !== KU_DIGITAL_SIGNATURE || extra)) {
      add('key-usage-not-digital-signature', 'KeyUsage shall contain digitalSignature only');
    }
    if (!ee && !(bits & KU_KEY_CERT_SIGN)) add('key-usage-no-cert-sign', 'A CA KeyUsage shall contain keyCertSign');
    if (!ee && ((bits & ~(KU_KEY_CERT_SIGN | KU_CRL_SIGN)) !== 0 || extra)) {
      add('key-usage-odd', 'A CA KeyUsage shall contain only keyCertSign and cRLSign');
    }
  }
  // CertificatePolicies: one SHAKEN policy OID, not critical; roots carry none.
  const cp = extension(fields, OID.certificatePolicies);
  const policies = cp ? readPolicies(cp.value) : [];
  if (role === 'root') {
    if (cp !== undefined) add('certificate-policy-in-root', 'A root certificate shall not contain CertificatePolicies');
  } else if (cp === undefined) add('certificate-policy-missing', 'CertificatePolicies shall be present');
  else {
    if (cp.critical) add('certificate-policy-critical', 'CertificatePolicies shall not be critical');
    if (policies.length !== 1) add('certificate-policy-multiple', 'CertificatePolicies shall hold a single policy OID');
    if (!policies.every((p) => p.startsWith(SHAKEN_POLICY_ARC))) {
      add('certificate-policy-unknown', `The policy OID shall be under ${SHAKEN_POLICY_ARC}`);
    }
  }
  // Key identifiers (RFC 5280 §4.2.1.1/4.2.1.2): SKI always; AKI except in a root, where it must equal SKI.
  const ski = extension(fields, OID.subjectKeyIdentifier);
  const aki = extension(fields, OID.authorityKeyIdentifier);
  if (ski === undefined) add('subject-key-identifier-missing', 'SubjectKeyIdentifier shall be present');
  if (role !== 'root' && aki === undefined) add('authority-key-identifier-missing', 'AuthorityKeyIdentifier shall be present');
  if (role === 'root' && aki !== undefined && ski !== undefined) {
    const akiSeq = readDerNode(aki.value, 0);
    const keyId = readDerChildren(aki.value, akiSeq).find((n) => n.tag === 0x80);
    const skiNode = readDerNode(ski.value, 0);
    const same = keyId !== undefined && Buffer.compare(aki.value.subarray(keyId.start, keyId.end), ski.value.subarray(skiNode.start, skiNode.end)) === 0;
    if (!same) add('authority-key-identifier-mismatch', 'A root AuthorityKeyIdentifier shall equal its SubjectKeyIdentifier');
  }
  // CRL Distribution Points: one HTTP URL (ATIS-1000080 §6.4.1, the STI-PA CRL).
  const crl = extension(fields, OID.crlDistributionPoints);
  const points = crl ? readDistributionPoints(crl.value) : [];
  const crlUrls = points.flatMap((p) => p.urls);
  const crlIssuers = points.flatMap((p) => p.crlIssuers);
  if (ee && crl === undefined) add('crl-distribution-missing', 'CRLDistributionPoints shall be present');
  if (crl !== undefined) {
    if (points.length !== 1 || crlUrls.length !== 1) add('crl-distribution-multiple', 'CRLDistributionPoints shall hold a single DistributionPoint');
    if (!crlUrls.every((u) => /^https?:\/\//i.test(u))) add('crl-distribution-not-http', 'The CRL distribution point shall be an HTTP URL');
  }
  if (role === 'root' && crl !== undefined) add('crl-distribution-in-root', 'A root certificate shall not contain CRLDistributionPoints');

  // TNAuthList (RFC 8226 §9; ATIS-1000080 §6.4.1): end entities carry exactly one SPC entry; CAs none.
  const tn = extension(fields, TN_AUTH_LIST_OID);
  const tnAuthList = tn ? readTnAuthList(tn.value) : undefined;
  let spc: string | undefined;
  if (!ee) {
    if (tn !== undefined) add('tn-auth-list-in-ca', 'A CA certificate shall not contain TNAuthList');
  } else if (tn === undefined) add('tn-auth-list-missing', 'An STI certificate shall contain TNAuthList');
  else {
    const entries = tnAuthList;
    if (entries === undefined) add('tn-auth-list-malformed', 'TNAuthList cannot be decoded');
    else if (entries.length !== 1) add('tn-auth-list-count', 'TNAuthList shall have exactly one entry');
    else {
      const entry = entries[0] as TnEntry;
      if (entry.type !== 'spc') add('tn-auth-list-not-spc', 'The TNAuthList entry shall be an SPC');
      else if (entry.spc === '') add('tn-auth-list-spc-empty', 'The TNAuthList entry shall contain an SPC value');
      else {
        spc = entry.spc;
        if (!/^[A-Z0-9]+$/.test(entry.spc)) add('tn-auth-list-spc-format', 'The SPC shall be upper-case letters and digits');
      }
    }
  }
  // Subject CN "SHAKEN <SPC>" (ATIS-1000080 §6.4.1, CP 1.3): names the SP unambiguously.
  if (ee) {
    const cns = attrs(fields.subject, OID.cn);
    if (spc !== undefined && cns.length > 0 && !cns.includes(`SHAKEN ${spc}`)) {
      add('subject-cn-mismatch', `The subject CN shall be 'SHAKEN ${spc}'`);
    }
    // CP 1.3 §3.1.1 adds one subject serialNumber; applied to CP 1.3 and to certificates naming no policy.
    const serials = attrs(fields.subject, OID.serialNumber).length;
    if (serials > 1 || (serials === 0 && (policies.length === 0 || policies.includes(SHAKEN_CP_1_3)))) {
      add('subject-serial-number', 'The subject shall carry one serialNumber attribute (CP 1.3)');
    }
  } else if (!attrs(fields.subject, OID.cn).some((cn) => cn.includes('SHAKEN'))) {
    add('subject-cn-not-shaken', "A SHAKEN CA's subject CN shall contain 'SHAKEN'");
  }
  return { role, spc, tnAuthList, policies, crlUrls, crlIssuers, notBefore, notAfter, findings };
}
