import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web app: `web/` is the Vite root; the build goes to dist/web, which the service serves
 * (src/web/routes.ts). `npm run dev:web` proxies /api to a running `npm start`.
 */
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // The budget is checked by `npm run bench -- web`; this only warns for a single huge chunk.
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
