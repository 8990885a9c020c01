import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

// The web console (web/, built by `npm run build:console` into web/dist): static files only, no key
// needed to load them. The console then calls the public /v1 API with the key its user enters, like
// any other client. Hash routing (#/lookup) means no server-side fallback route is needed.
export const CONSOLE_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

// Only our own scripts and styles, and calls back to this origin (OWASP secure headers).
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export async function consoleRoutes(app: FastifyInstance, opts: { root?: string } = {}): Promise<void> {
  const root = opts.root ?? CONSOLE_DIR;
  const indexFile = join(root, 'index.html');
  // index.html is read again when the file changes, so a rebuilt console is served without a restart.
  let cached: { mtimeMs: number; html: Buffer } | undefined;

  const sendIndex = async (_request: unknown, reply: FastifyReply) => {
    const s = await stat(indexFile).catch(() => undefined);
    if (!s) {
      return reply.code(503).type('text/plain; charset=utf-8').send('The console is not built: run `npm run build:console` (npm ci and npm start do it).\n');
    }
    if (!cached || cached.mtimeMs !== s.mtimeMs) cached = { mtimeMs: s.mtimeMs, html: await readFile(indexFile) };
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', CSP)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(cached.html);
  };
  app.get('/', { schema: { hide: true } }, sendIndex);
  app.get('/index.html', { schema: { hide: true } }, sendIndex);

  // Content-hashed bundles: whatever is in web/dist/assets when asked (a missing file is the API's
  // problem+json 404), cached for a year since a new build gets new names.
  await app.register(async (scope) => {
    // A directory or unreadable path under /assets is simply "not found" (the API's 404), not a 500.
    scope.setErrorHandler((err: { statusCode?: number }, _request, reply) => {
      if (err.statusCode !== undefined && err.statusCode < 500) return reply.callNotFound();
      throw err;
    });
    await scope.register(fastifyStatic, {
      root: join(root, 'assets'),
      prefix: '/assets/',
      wildcard: true,
      index: false,
      decorateReply: false,
      schemaHide: true,
      setHeaders(reply) {
        reply.header('x-content-type-options', 'nosniff');
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  });
}
