import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { CallshieldError } from '../errors.js';
import { readCertificateSpc } from './certificate-profile.js';
import { formatIdentityHeader } from './identity-header.js';
import { buildPassportHeader, encodePassportPart, signPassport } from './passport-sign.js';
import type { PassportPayload } from './types.js';

/** One carrier's STI-AS configuration (ATIS-1000080 §6: the key and certificate its STI-CA issued). */
export interface SignerConfig {
  spc: string;
  /** Where verifiers fetch the certificate (the PASSporT `x5u` and Identity `info`). */
  x5u: string;
  privateKeyPem: string;
  certificatePem: string;
}

/**
 * A ready signer. The private key lives only in this closure: it is not a property, so it cannot be
 * logged, serialised or returned by accident.
 */
export interface Signer {
  readonly spc: string;
  readonly x5u: string;
  /** The PASSporT in full JWS form. */
  signPassport(payload: PassportPayload): string;
  /** The SIP Identity header value for the payload. */
  signIdentity(payload: PassportPayload): string;
}

function isP256(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}

export function createSigner(config: SignerConfig): Signer {
  const { spc, x5u } = config;
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(config.privateKeyPem);
  } catch (cause) {
    throw new CallshieldError('STIR_INVALID_SIGNER_KEY', 'The private key is not a readable PEM key', { field: 'privateKeyPem', cause });
  }
  // RFC 8588 §4 / ATIS-1000074 §5.3.1: ES256 only, so the key must be P-256.
  if (!isP256(privateKey)) {
    throw new CallshieldError('STIR_INVALID_SIGNER_KEY', 'The private key is not an EC P-256 key', { field: 'privateKeyPem' });
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(config.certificatePem);
  } catch (cause) {
    throw new CallshieldError('STIR_INVALID_CERTIFICATE', 'The signer certificate is not a readable PEM certificate', {
      field: 'certificatePem',
      cause,
    });
  }
  const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const certified = certificate.publicKey.export({ type: 'spki', format: 'der' });
  if (!derived.equals(certified)) {
    throw new CallshieldError('STIR_INVALID_SIGNER_KEY', 'The private key does not belong to the certificate', { field: 'privateKeyPem' });
  }
  const certSpc = readCertificateSpc(certificate.raw);
  if (certSpc !== undefined && certSpc !== spc) {
    throw new CallshieldError('STIR_INVALID_CERTIFICATE', `The certificate's TNAuthList SPC is ${certSpc}, not ${spc}`, { field: 'spc' });
  }
  let url: URL;
  try {
    url = new URL(x5u);
  } catch {
    throw new CallshieldError('STIR_INVALID_REQUEST', 'x5u is not a URL', { field: 'x5u' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CallshieldError('STIR_INVALID_REQUEST', 'x5u must be an http(s) URL', { field: 'x5u' });
  }
  const encodedHeader = encodePassportPart(buildPassportHeader(x5u));
  const signer: Signer = {
    spc,
    x5u,
    signPassport: (payload) => signPassport(payload, x5u, privateKey, encodedHeader),
    signIdentity: (payload) => formatIdentityHeader(signPassport(payload, x5u, privateKey, encodedHeader), x5u),
  };
  Object.defineProperty(signer, 'toJSON', { value: () => ({ spc, x5u }), enumerable: false });
  return Object.freeze(signer);
}
