/**
 * Keeps a tablet's screen on while the app is open, so a table that talks for ten minutes does
 * not come back to a locked tablet. Browsers offer the screen wake lock only in a secure context
 * (the secure mode, see docs/https.md) and drop it whenever the page is hidden; it is asked for
 * again when the page is shown. Where there is none, nothing happens.
 */
import { useEffect } from 'react';

interface WakeLockSentinelLike {
  released: boolean;
  release(): Promise<void>;
}

export function useWakeLock(): void {
  useEffect(() => {
    const wakeLock = (navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<WakeLockSentinelLike> } }).wakeLock;
    if (!window.isSecureContext || !wakeLock) return;
    let sentinel: WakeLockSentinelLike | null = null;
    let stopped = false;
    const acquire = () => {
      if (document.visibilityState !== 'visible' || (sentinel && !sentinel.released)) return;
      wakeLock.request('screen').then(
        (s) => {
          if (stopped) void s.release();
          else sentinel = s;
        },
        () => {
          // Refused (battery saver, no user gesture yet on some browsers): the screen may dim.
        },
      );
    };
    const onVisibility = () => acquire();
    acquire();
    document.addEventListener('visibilitychange', onVisibility);
    // Some browsers grant the lock only after the user touched the page.
    document.addEventListener('pointerdown', onVisibility, { passive: true });
    return () => {
      stopped = true;
      document.removeEventListener('visibilitychange', onVisibility);
      document.removeEventListener('pointerdown', onVisibility);
      void sentinel?.release();
    };
  }, []);
}
