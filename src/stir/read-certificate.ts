import { X509Certificate } from 'node:crypto';
import { CallshieldError } from '../errors.js';
import { readChild, readDerChildren, readDerNode, readDerOid, readDerString } from './der.js';
import type { DerNode } from './der.js';

// The fields of an X.509 certificate (RFC 5280 §4.1) that the SHAKEN profile checks need and that
// node:crypto's X509Certificate does not expose in structured form.

export interface NameAttribute {
  oid: string;
  value: string;
}

export interface CertificateExtension {
  oid: string;
  critical: boolean;
  /** The DER inside the extnValue OCTET STRING. */
  value: Buffer;
}

export interface CertificateFields {
  der: Buffer;
  /** 1, 2 or 3. */
  version: number;
  /** Serial number content octets, as encoded (may carry a leading 00). */
  serial: Buffer;
  signatureOid: string;
  issuer: NameAttribute[];
  subject: NameAttribute[];
  /** The issuer and subject Names as encoded, for comparing with a CRL's issuer (RFC 5280 §6.3.3). */
  issuerDer: Buffer;
  subjectDer: Buffer;
  extensions: CertificateExtension[];
  node: X509Certificate;
}

/** The attributes of a DER Name (RFC 5280 §4.1.2.4) in order. */
export function readName(der: Buffer, node: DerNode): NameAttribute[] {
  const attrs: NameAttribute[] = [];
  for (const rdn of readDerChildren(der, node)) {
    for (const atv of readDerChildren(der, rdn)) {
      const parts = readDerChildren(der, atv);
      const oid = readDerOid(der, readChild(parts, 0, 'attribute type'));
      const value = readChild(parts, 1, 'attribute value');
      attrs.push({ oid, value: value.tag === 0x1e ? Buffer.from(der.subarray(value.start, value.end)).swap16().toString('utf16le') : readDerString(der, value) });
    }
  }
  return attrs;
}

function readExtensions(der: Buffer, node: DerNode): CertificateExtension[] {
  const list = readDerNode(der, node.start, node.end);
  return readDerChildren(der, list).map((ext) => {
    const parts = readDerChildren(der, ext);
    const oid = readDerOid(der, readChild(parts, 0, 'extnID'));
    let critical = false;
    let valueNode = readChild(parts, 1, 'extnValue');
    if (valueNode.tag === 0x01) {
      critical = der[valueNode.start] !== 0;
      valueNode = readChild(parts, 2, 'extnValue');
    }
    if (valueNode.tag !== 0x04) throw new CallshieldError('STIR_INVALID_CERTIFICATE', 'Malformed extension', { field: 'certificate' });
    return { oid, critical, value: Buffer.from(der.subarray(valueNode.start, valueNode.end)) };
  });
}

export function toCertificateDer(certificate: string | Uint8Array | X509Certificate): { der: Buffer; node: X509Certificate } {
  try {
    const node = certificate instanceof X509Certificate ? certificate : new X509Certificate(typeof certificate === 'string' ? certificate : Buffer.from(certificate));
    return { der: node.raw, node };
  } catch (cause) {
    throw new CallshieldError('STIR_INVALID_CERTIFICATE', 'Not a readable X.509 certificate', { field: 'certificate', cause });
  }
}

export function readCertificateFields(certificate: string | Uint8Array | X509Certificate): CertificateFields {
  const { der, node } = toCertificateDer(certificate);
  const top = readDerChildren(der, readDerNode(der, 0));
  const tbs = readDerChildren(der, readChild(top, 0, 'tbsCertificate'));
  const signatureOid = readDerOid(der, readChild(readDerChildren(der, readChild(top, 1, 'signatureAlgorithm')), 0, 'algorithm'));
  let i = 0;
  let version = 1;
  const first = readChild(tbs, 0, 'version or serial');
  if (first.tag === 0xa0) {
    const v = readDerNode(der, first.start, first.end);
    version = (der[v.end - 1] as number) + 1;
    i = 1;
  }
  const serialNode = readChild(tbs, i, 'serialNumber');
  const serial = Buffer.from(der.subarray(serialNode.start, serialNode.end));
  const issuerNode = readChild(tbs, i + 2, 'issuer');
  const subjectNode = readChild(tbs, i + 4, 'subject');
  const issuer = readName(der, issuerNode);
  const subject = readName(der, subjectNode);
  const extNode = tbs.slice(i + 6).find((n) => n.tag === 0xa3);
  return {
    der,
    version,
    serial,
    signatureOid,
    issuer,
    subject,
    issuerDer: Buffer.from(der.subarray(issuerNode.offset, issuerNode.end)),
    subjectDer: Buffer.from(der.subarray(subjectNode.offset, subjectNode.end)),
    extensions: extNode ? readExtensions(der, extNode) : [],
    node,
  };
}
