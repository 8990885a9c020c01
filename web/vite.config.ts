// Builds the console (web/src) into web/dist; the service serves web/dist at / (src/api/routes/console.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  // Preact's automatic JSX runtime, compiled by Vite's own transformer (no Babel plugin needed).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: false,
  },
  // `npm run dev:console` serves the sources with hot reload and sends API calls to a running service.
  server: { proxy: { '/v1': process.env.CALLSHIELD_URL ?? 'http://127.0.0.1:8080' } },
  logLevel: 'warn',
});
