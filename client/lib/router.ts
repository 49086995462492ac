/** A tiny path router: the app has a handful of pages, so history events are all it needs. */
import { useEffect, useState } from 'react';

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return path;
}

export type Route =
  | { page: 'home' }
  | { page: 'join'; code: string }
  | { page: 'tablet'; sessionId: string }
  | { page: 'facilitator'; sessionId: string }
  | { page: 'report'; sessionId: string }
  | { page: 'projector'; sessionId: string }
  | { page: 'observer'; sessionId: string }
  | { page: 'host'; sessionId: string; table: number }
  | { page: 'agenda'; sessionId: string }
  | { page: 'plenary'; sessionId: string }
  | { page: 'notFound' };

export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b, c] = parts;
  if (parts.length === 0) return { page: 'home' };
  if (a === 'j' && b && parts.length === 2) return { page: 'join', code: b.toUpperCase() };
  if (a === 't' && b && parts.length === 2) return { page: 'tablet', sessionId: b };
  if (a === 'p' && b && parts.length === 2) return { page: 'projector', sessionId: b };
  if (a === 'f' && b && parts.length === 2) return { page: 'facilitator', sessionId: b };
  if (a === 'f' && b && c === 'verslag' && parts.length === 3) return { page: 'report', sessionId: b };
  if (a === 'f' && b && c === 'programma' && parts.length === 3) return { page: 'agenda', sessionId: b };
  if (a === 'f' && b && c === 'plenair' && parts.length === 3) return { page: 'plenary', sessionId: b };
  if (a === 'o' && b && parts.length === 2) return { page: 'observer', sessionId: b };
  if (a === 'h' && b && c && /^[1-9][0-9]?$/.test(c) && parts.length === 3) return { page: 'host', sessionId: b, table: Number(c) };
  return { page: 'notFound' };
}
