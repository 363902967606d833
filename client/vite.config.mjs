import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The web client: Preact with the automatic JSX runtime (no plugin needed), built into client/dist. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: false,
    // .vite/manifest.json: which chunks the page loads at once and which on demand (client:size reads it).
    manifest: true,
  },
  server: {
    // `npx vite client` during development: the API and live updates from a running `npm start`.
    proxy: { '/api': 'http://localhost:3000', '/socket.io': { target: 'http://localhost:3000', ws: true } },
  },
});
