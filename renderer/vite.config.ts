import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// No node:url here (the renderer layer bans Node built-ins); a file: URL's path is enough.
const here = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname);

/**
 * The web client. Built into dist/renderer, which the server serves at `/`
 * under a strict CSP: Vite emits only external `<script type="module">` and
 * `<link rel="stylesheet">` tags, never inline code.
 *
 * `base` is absolute so that a reload on a deep link (/admin/members/…) still
 * finds /assets/…; a desktop build that loads the files from disk can pass
 * `--base ./` (the renderer then routes in memory, see router/).
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    sourcemap: false,
    // Report sizes against our budget (300 KB gzip JS), not Vite's 500 KB raw default.
    chunkSizeWarningLimit: 1200,
  },
  css: {
    preprocessorOptions: {
      scss: {
        // Carbon's own Sass triggers deprecation notices we cannot fix.
        quietDeps: true,
        silenceDeprecations: ['import', 'global-builtin', 'legacy-js-api'],
      },
    },
  },
  server: {
    // `npm run dev:renderer` proxies the API to a locally running server.
    proxy: { '/api': { target: process.env.TAB_SERVER_URL ?? 'http://127.0.0.1:4000', changeOrigin: false } },
  },
});
