import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * /embed.js, the script a publisher's page loads: a build of its own, one classic script (an IIFE) with nothing
 * shared with the client's chunks, since the page that runs it is not the forum's. Written beside the client's files
 * (client/dist/embed.js), after them: the client's build empties the folder first.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: false,
    lib: {
      entry: fileURLToPath(new URL('src/embed/embed.ts', import.meta.url)),
      formats: ['iife'],
      name: 'essayForumEmbed',
      fileName: () => 'embed.js',
    },
  },
});
