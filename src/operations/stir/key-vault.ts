import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';

// Carriers' signing keys at rest: AES-256-GCM (NIST SP 800-38D) with a random 96-bit IV per seal
// and the row's org id and SPC as additional data, so a sealed key copied onto another carrier's
// row does not open. The key-encryption key comes from the secret file (CALLSHIELD_SECRET_FILE),
// not the database, so a dump of stir_signers and meta together still opens nothing.

const VERSION = 'v1';

function aad(orgId: string, spc: string): Buffer {
  return Buffer.from(`callshield:stir-signer:${orgId}:${spc}`, 'utf8');
}

export async function sealSigningKey(ctx: AppContext, privateKeyPem: string, orgId: string, spc: string): Promise<string> {
  const key = ctx.keyEncryptionKey;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(orgId, spc));
  const ciphertext = Buffer.concat([cipher.update(privateKeyPem, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

export async function openSigningKey(ctx: AppContext, sealed: string, orgId: string, spc: string): Promise<string> {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new CallshieldError('STIR_INVALID_SIGNER_KEY', 'the stored signing key is not in a known sealed format');
  }
  const key = ctx.keyEncryptionKey;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(orgId, spc));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    // No cause attached: nothing about the key or the secret belongs in a log line.
    throw new CallshieldError('STIR_INVALID_SIGNER_KEY', 'the stored signing key does not open (sealed under another secret, or altered)');
  }
}
