import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { areaState } from '../../app-context.js';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { loadStirKeySecret } from '../../store/stir/key-secret.js';

// Carriers' signing keys at rest: AES-256-GCM (NIST SP 800-38D) with a random 96-bit IV per seal
// and the row's org id and SPC as additional data, so a sealed key copied onto another carrier's
// row does not open.

const VERSION = 'v1';
/** The key-encryption key of the STIR area on one context, read once. */
const VAULT = areaState<{ secret: Promise<Buffer> | undefined }>('stir.key-vault', () => ({ secret: undefined }));

function secretOf(ctx: AppContext): Promise<Buffer> {
  const vault = ctx.area(VAULT);
  let s = vault.secret;
  if (!s) {
    const loading = (s = loadStirKeySecret(ctx.db));
    loading.catch(() => {
      if (vault.secret === loading) vault.secret = undefined;
    });
    vault.secret = loading;
  }
  return s;
}

function aad(orgId: string, spc: string): Buffer {
  return Buffer.from(`callshield:stir-signer:${orgId}:${spc}`, 'utf8');
}

export async function sealSigningKey(ctx: AppContext, privateKeyPem: string, orgId: string, spc: string): Promise<string> {
  const key = await secretOf(ctx);
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
  const key = await secretOf(ctx);
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
