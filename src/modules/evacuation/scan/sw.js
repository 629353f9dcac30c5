// Service worker of the boarding scanner: keeps the page and its script available offline. API calls
// are never cached; scans made offline wait in the page's queue until the network is back. The page
// is kept per address, so `/scan?lang=ar` comes back in Arabic offline; `/scan` itself comes in the
// language the browser asked for when it was last loaded online.
const CACHE = 'haven-scan-v2';
const SHELL = ['/scan', '/scan/app.js'];
// The page varies with Accept-Language; offline, whatever copy was kept for the address serves.
const MATCH = { ignoreVary: true };

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

// Network first, so that a new version reaches the device as soon as it is online; the cached copy
// answers when it is not.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (!SHELL.includes(url.pathname)) return;
  const key = url.pathname === '/scan' ? url.pathname + url.search : url.pathname;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(key, copy)));
        }
        return response;
      })
      .catch(() =>
        caches
          .match(key, MATCH)
          .then((cached) => cached || caches.match(url.pathname, MATCH))
          .then((cached) => cached || Response.error()),
      ),
  );
});
