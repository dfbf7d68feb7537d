// Builds the page into dist/ (committed, and embedded into the cxhub binary by CMake).
// The output must be the same byte for byte on every machine and Node version (a test
// rebuilds it and compares): content-hashed names, no timestamps, sorted lists.
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';

// Emits sw.js (the service worker, at the site's root so that its scope is the whole page)
// with the list of files to keep for offline use written into it.
function serviceWorker(): Plugin {
  return {
    name: 'cxhub-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => !f.endsWith('.map'))
        .sort()
        .map((f) => '/' + f);
      const template = readFileSync(new URL('./src/sw.js', import.meta.url), 'utf8');
      // The version changes whenever any file changes, so an old cache is replaced.
      let h = 0;
      for (const f of files) for (let i = 0; i < f.length; i++) h = (h * 31 + f.charCodeAt(i)) | 0;
      const source = template
        .replace('self.__FILES__', JSON.stringify(['/', ...files]))
        .replace('self.__VERSION__', JSON.stringify((h >>> 0).toString(16)));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact', legalComments: 'none' },
  plugins: [serviceWorker()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
