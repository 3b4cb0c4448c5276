import { defineConfig } from 'vite';

// Preact's automatic JSX runtime, without the React plugin: Vite 8 transforms TSX with oxc,
// which takes the runtime and import source from here (tsconfig.json says the same for tsc).
export default defineConfig({
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    // `npm run dev` talks to a `roster serve` on its default port.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
