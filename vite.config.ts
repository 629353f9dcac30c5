import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { migrantAppServiceWorker } from './web/src/app/pwa/precache-plugin.ts';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The migrant app is a page of its own under /app (web/app/index.html): a small bundle and a service
// worker of its own. The development server serves that page for every /app path, as Haven's server does.
const migrantAppPages: Plugin = {
  name: 'haven-migrant-app-pages',
  configureServer(server) {
    server.middlewares.use((req, _res, next) => {
      const path = req.url?.split('?')[0] ?? '';
      if (path === '/app' || (path.startsWith('/app/') && !/\.[a-z0-9]+$/i.test(path)))
        req.url = '/app/index.html';
      next();
    });
  },
};

// The web app (officer console and migrant app) lives in web/ and is built into dist/web, which the
// server serves at `/` (HAVEN_WEB_DIR). In development, `npx vite` serves web/ with hot reload and
// forwards /api to a Haven server started with `npm start` (PORT, default 8080).
export default defineConfig({
  root: fromRoot('./web'),
  base: '/',
  plugins: [
    react(),
    migrantAppPages,
    migrantAppServiceWorker({
      entryHtml: fromRoot('./web/app/index.html'),
      serviceWorker: fromRoot('./web/src/app/pwa/sw.js'),
      extra: [
        '/app/manifest.webmanifest',
        '/app/icon.svg',
        '/app/icon-192.png',
        '/app/icon-512.png',
        '/app/icon-maskable-512.png',
      ],
    }),
  ],
  build: {
    outDir: fromRoot('./dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    rolldownOptions: {
      input: { console: fromRoot('./web/index.html'), app: fromRoot('./web/app/index.html') },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': `http://127.0.0.1:${process.env.PORT || 8080}` },
  },
});
