/**
 * Registers the migrant app's service worker (scope /app/), which keeps the app shell so the app opens
 * with no connection. Only in a built app: the development server has no /app/sw.js.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => {
      // No service worker (development server, private mode): the app still works online.
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
