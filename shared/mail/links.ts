// Where emails send people: the admin console. It is served under /console/ at APP_URL, the same origin as the
// API: locally the local server (http://127.0.0.1:3000), deployed the InboxAccessConsole CloudFront distribution
// (its /console/* behaviour serves the build, /v1/* the API), so the one path works in both.
export const CONSOLE_PATH = '/console';

/** An absolute link to a console page (`page` starts with `/`), below `appUrl` (a trailing slash is ignored). */
export function consoleLink(appUrl: string, page: string, query: Record<string, string> = {}): string {
  const qs = new URLSearchParams(query).toString();
  return `${appUrl.replace(/\/+$/, '')}${CONSOLE_PATH}${page}${qs ? `?${qs}` : ''}`;
}
