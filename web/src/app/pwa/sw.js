// The migrant app's service worker, completed at build time (pwa/precache-plugin.ts) with the list of
// the app's files and a version that changes whenever one of them does.
//
// - The app shell (HTML, scripts, styles, language files, icons) is cached at install, so the app opens
//   with no connection; a newer build replaces the cache when it activates.
// - Pages of the app answer from the cached shell at once and refresh it in the background, which keeps
//   a slow connection from holding up the first screen.
// - API calls (/api/) always go to the network and are never stored: they carry personal data, and an
//   answer or an SOS must reach the embassy, not a cache.

const VERSION = '__HAVEN_APP_VERSION__';
const PRECACHE = __HAVEN_APP_PRECACHE__;
const CACHE = `haven-app-${VERSION}`;
const SHELL = '/app/';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith('haven-app-') && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function shell(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(SHELL);
  const fresh = fetch(request)
    .then((response) => {
      if (response.ok && response.headers.get('content-type')?.includes('text/html'))
        cache.put(SHELL, response.clone());
      return response;
    })
    .catch(() => undefined);
  if (cached) return cached;
  return (await fresh) ?? Response.error();
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  // Built files are named by their content, so a copy never goes stale.
  if (response.ok && new URL(request.url).pathname.startsWith('/assets/'))
    cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate' && (url.pathname === '/app' || url.pathname.startsWith('/app/'))) {
    event.respondWith(shell(request));
    return;
  }
  if (PRECACHE.includes(url.pathname) || url.pathname.startsWith('/assets/'))
    event.respondWith(asset(request));
});
