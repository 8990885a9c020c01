import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { openText, sealText } from '../sealed-text.js';

// Carriers' signing keys at rest: AES-256-GCM (NIST SP 800-38D) with a random 96-bit IV per seal
// and the row's org id and SPC as additional data, so a sealed key copied onto another carrier's
// row does not open. The key-encryption key comes from the secret file (CALLSHIELD_SECRET_FILE),
// not the database, so a dump of stir_signers and meta together still opens nothing.

const VERSION = 'v1';

const aad = (orgId: string, spc: string): string => `callshield:stir-signer:${orgId}:${spc}`;

export async function sealSigningKey(ctx: AppContext, privateKeyPem: string, orgId: string, spc: string): Promise<string> {
  return sealText(ctx.keyEncryptionKey, privateKeyPem, aad(orgId, spc), VERSION);
}

export async function openSigningKey(ctx: AppContext, sealed: string, orgId: string, spc: string): Promise<string> {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new CallshieldError('STIR_INVALID_SIGNER_KEY', 'the stored signing key is not in a known sealed format');
  }
  const pem = openText(ctx.keyEncryptionKey, sealed, aad(orgId, spc), VERSION);
  // No cause attached: nothing about the key or the secret belongs in a log line.
  if (pem === undefined) throw new CallshieldError('STIR_INVALID_SIGNER_KEY', 'the stored signing key does not open (sealed under another secret, or altered)');
  return pem;
}
