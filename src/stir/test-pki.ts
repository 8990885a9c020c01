import { X509Certificate as NodeX509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { CallshieldError } from '../errors.js';
import { SHAKEN_CP_1_3 } from './certificate-profile.js';
import { TN_AUTH_LIST_OID, encodeTnAuthList } from './tn-auth-list.js';

// A throw-away STI-CA and SHAKEN end-entity certificates (ATIS-1000080 §6.4 profile) so a carrier
// can try signing and verification on one machine, and tests get a real PKI. Not for production:
// real certificates come from an STI-CA approved by the STI-PA.

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
const crypto = webcrypto;
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ES256 = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

export interface TestCa {
  certificatePem: string;
  privateKeyPem: string;
  /** Distinguished name of the CA, for CRLs it issues. */
  name: string;
}

export interface ShakenCertificate {
  spc: string;
  certificatePem: string;
  privateKeyPem: string;
  /** Leaf then issuing CA: what to publish at the x5u URL (ATIS-1000074 §5.3.1). */
  chainPem: string;
  serialNumber: string;
}

export interface CreateTestCaOptions {
  /** Common name; must contain "SHAKEN" for the CP. Default "SHAKEN Test STI-CA". */
  commonName?: string;
  organisation?: string;
  days?: number;
  /** Epoch milliseconds; default Date.now(). */
  now?: number;
}

export interface CreateShakenCertificateOptions {
  ca: Pick<TestCa, 'certificatePem' | 'privateKeyPem'>;
  spc: string;
  organisation?: string;
  /** CRL distribution point (ATIS-1000080 §6.4.1); default http://127.0.0.1/sti-pa.crl. */
  crlUrl?: string;
  days?: number;
  now?: number;
  policyOid?: string;
}

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  return toPem(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return crypto.subtle.importKey('pkcs8', der, EC_P256, false, ['sign']);
}

/** 9 random bytes, top bit clear and never a leading zero byte: positive, 70 random bits (CP: at least 64). */
function randomSerial(): string {
  const bytes = randomBytes(9);
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function escapeDn(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1');
}

export async function createTestCa(options: CreateTestCaOptions = {}): Promise<TestCa> {
  const now = options.now ?? Date.now();
  const name = `CN=${escapeDn(options.commonName ?? 'SHAKEN Test STI-CA')}, O=${escapeDn(options.organisation ?? 'callshield test')}, C=US`;
  const keys = (await crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (options.days ?? 3650) * DAY_MS),
    signingAlgorithm: ES256,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: cert.toString('pem') + '\n', privateKeyPem: await exportPrivateKeyPem(keys.privateKey), name };
}

export async function createShakenCertificate(options: CreateShakenCertificateOptions): Promise<ShakenCertificate> {
  const { spc } = options;
  // ATIS-1000080 §6.4.1 / zlint e_atis_tn_auth_list_spc_format: SPC is upper-case letters and digits.
  if (!/^[A-Z0-9]+$/.test(spc)) {
    throw new CallshieldError('STIR_INVALID_REQUEST', 'The SPC must be upper-case letters and digits', { field: 'spc' });
  }
  const now = options.now ?? Date.now();
  const caCert = new x509.X509Certificate(options.ca.certificatePem);
  const caKey = await importPrivateKey(options.ca.privateKeyPem);
  const keys = (await crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as CryptoKeyPair;
  const serialNumber = randomSerial();
  const org = escapeDn(options.organisation ?? 'callshield test carrier');
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: `CN=SHAKEN ${spc}, O=${org}, C=US, 2.5.4.5=${spc}`,
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (options.days ?? 365) * DAY_MS),
    signingAlgorithm: ES256,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.CertificatePolicyExtension([options.policyOid ?? SHAKEN_CP_1_3], false),
      new x509.CRLDistributionPointsExtension([options.crlUrl ?? 'http://127.0.0.1/sti-pa.crl'], false),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      new x509.Extension(TN_AUTH_LIST_OID, false, encodeTnAuthList([{ type: 'spc', spc }])),
    ],
  });
  const certificatePem = cert.toString('pem') + '\n';
  return {
    spc,
    certificatePem,
    privateKeyPem: await exportPrivateKeyPem(keys.privateKey),
    chainPem: certificatePem + options.ca.certificatePem,
    serialNumber: new NodeX509Certificate(certificatePem).serialNumber,
  };
}

/** A CRL signed by the test CA listing the given serial numbers (hex) as revoked (RFC 5280 §5). */
export async function createTestCrl(options: {
  ca: Pick<TestCa, 'certificatePem' | 'privateKeyPem'>;
  revokedSerials: readonly string[];
  now?: number;
  days?: number;
}): Promise<string> {
  const now = options.now ?? Date.now();
  const caCert = new x509.X509Certificate(options.ca.certificatePem);
  const crl = await x509.X509CrlGenerator.create({
    issuer: caCert.subject,
    thisUpdate: new Date(now - 60_000),
    nextUpdate: new Date(now + (options.days ?? 7) * DAY_MS),
    signingAlgorithm: ES256,
    signingKey: await importPrivateKey(options.ca.privateKeyPem),
    entries: options.revokedSerials.map((serialNumber) => ({ serialNumber, revocationDate: new Date(now - 60_000) })),
  });
  // RFC 7468 §5: the label is "X509 CRL" (the library writes "CRL", which openssl refuses).
  return toPem(crl.rawData, 'X509 CRL');
}
