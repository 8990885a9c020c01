import { unwatchFile, watchFile } from 'node:fs';
import type { Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AppContext } from '../../app-context.js';
import type { CertificateResolver } from '../../stir/index.js';

/** How often the trust-anchor file's stat is polled; a poll survives the file being replaced by rename. */
export const TRUST_ANCHOR_POLL_MS = 1000;

/**
 * Reloads CALLSHIELD_STIR_CA_FILE into the verifier when it changes (the STI-PA updates its trust
 * list; a restart would drop calls). A file that is missing or holds no certificate is logged and
 * the anchors in use are kept. Returns the function that stops watching.
 */
export function watchTrustAnchorFile(ctx: AppContext, path: string, resolver: CertificateResolver): () => void {
  let reading = Promise.resolve();
  const changed = (curr: Stats, prev: Stats): void => {
    if (curr.mtimeMs === prev.mtimeMs && curr.size === prev.size && curr.ino === prev.ino) return;
    reading = reading.then(async () => {
      try {
        const count = resolver.setTrustAnchors(await readFile(path, 'utf8'));
        ctx.logger.info({ file: path, anchors: count }, 'stir trust anchors reloaded');
      } catch (err) {
        ctx.logger.error({ err, file: path }, 'stir trust anchor file changed but cannot be used; the anchors in use are kept');
      }
    });
  };
  watchFile(path, { interval: TRUST_ANCHOR_POLL_MS, persistent: false }, changed);
  return () => unwatchFile(path, changed);
}
