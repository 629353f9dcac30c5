import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The web app (officer console and migrant app) lives in web/ and is built into dist/web, which the
// server serves at `/` (HAVEN_WEB_DIR). In development, `npx vite` serves web/ with hot reload and
// forwards /api to a Haven server started with `npm start` (PORT, default 8080).
export default defineConfig({
  root: fromRoot('./web'),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fromRoot('./dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': `http://127.0.0.1:${process.env.PORT || 8080}` },
  },
});
