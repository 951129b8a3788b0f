// A tiny history router: every page has its own URL under /console/, so reload and Back work.
import { useEffect, useState } from 'preact/hooks';

export const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');
const listeners = new Set<() => void>();
window.addEventListener('popstate', () => {
  for (const l of listeners) l();
});

export function navigate(path: string, replace = false) {
  const url = path.startsWith(BASE) ? path : `${BASE}${path}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  for (const l of listeners) l();
}

/** What a workspace page is given of its URL. */
export interface PageProps {
  /** The path after the page's slug, e.g. "/new" or "/role_1" for Roles. */
  rest: string;
  query: URLSearchParams;
}

/** The path below /console (e.g. "/w/ws_1/members") and the query. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const read = () => ({
    path: location.pathname.slice(BASE.length) || '/',
    query: new URLSearchParams(location.search),
  });
  const [loc, set] = useState(read);
  useEffect(() => {
    const l = () => set(read());
    listeners.add(l);
    return () => listeners.delete(l);
  }, []);
  return loc;
}

/** Click handler for in-app links: keeps modified clicks (new tab) as the browser's. */
export function onLinkClick(e: MouseEvent) {
  const a = e.currentTarget as HTMLAnchorElement;
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.pathname + a.search);
}
