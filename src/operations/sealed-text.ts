// Short texts a party needs back but a database dump must not show (a bank's customer reference on
// its holds): AES-256-GCM under the key-encryption key from the secret file (never the database),
// a random 96-bit IV per seal, and the record's owner and id as additional data, so a sealed value
// copied onto another row or another organisation's record does not open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 's1';

/** `version` tags the format; the STIR key vault keeps its own ('v1') so keys sealed before still open. */
export function sealText(kek: Buffer, text: string, context: string, version = VERSION): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return [version, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** The text, or undefined when the value is not sealed for this context under this key (altered, moved, another secret). */
export function openText(kek: Buffer, sealed: string, context: string, expected = VERSION): string | undefined {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== expected || iv === undefined || tag === undefined || ciphertext === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
