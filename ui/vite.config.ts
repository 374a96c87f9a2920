// The web UI's build: `npm run build` (vite build -c ui/vite.config.ts) writes ui/dist/, which `orrery up`
// serves at `/`. `npm run dev:ui` serves the sources with the API proxied to an `orrery up` on :5050.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  // Preact's automatic JSX runtime; without it Vite 8 would compile JSX for React.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
    chunkSizeWarningLimit: 200,
  },
  server: {
    proxy: { '/v1': { target: process.env.ORRERY_URL ?? 'http://127.0.0.1:5050', changeOrigin: false } },
  },
});
