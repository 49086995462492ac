/**
 * Registers the service worker that keeps the app on the tablet (built by vite-plugin-pwa, see
 * vite.config.ts), so a reload while the laptop is out of reach still opens the board.
 * Browsers allow service workers only in a secure context: over HTTPS (the secure mode), or on
 * the laptop's own localhost. Over plain HTTP on the room's network there is none, and nothing
 * is tried.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !window.isSecureContext || !('serviceWorker' in navigator)) return;
  // After the page has loaded, so the worker's first download does not slow the first screen.
  window.addEventListener('load', function register() {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // No worker (e.g. private browsing): the app works as before, online only.
    });
  });
}
