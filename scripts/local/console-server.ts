// Serves the built console (console/dist) at /console/ on the local API's own server, so the console and
// the API share one origin (no CORS), as behind the deployed CloudFront distribution. Every /console/*
// path that is not a file of the build answers index.html (the app routes it); config.json says "local".
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { CONSOLE_DIST } from '../console-build';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// The deployed distribution's policy: nothing from another origin.
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export const LOCAL_CONSOLE_CONFIG = { mode: 'local', apiBase: '' } as const;

/**
 * The decoded path, or `undefined` when it is not valid percent-encoding (decodeURIComponent throws) or holds a
 * NUL byte (fs throws on it): the client's mistake, answered 400 rather than thrown out of the request listener,
 * which crashed the local server.
 */
function decodedPath(encoded: string): string | undefined {
  try {
    const rel = decodeURIComponent(encoded);
    return rel.includes('\0') ? undefined : rel;
  } catch {
    return undefined;
  }
}

/** Answers /console and /console/*; returns false for every other path (the gateway's). */
export function serveConsole(req: IncomingMessage, res: ServerResponse, dist = CONSOLE_DIST): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== '/console' && !url.pathname.startsWith('/console/')) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return true;
  }
  if (url.pathname === '/console') {
    res.writeHead(308, { Location: `/console/${url.search}` }).end();
    return true;
  }
  const send = (status: number, type: string, body: Buffer | string, cache: string) => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': cache, ...SECURITY_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const rel = decodedPath(url.pathname.slice('/console/'.length));
  if (rel === undefined) {
    send(400, 'text/plain; charset=utf-8', 'Bad request: the path is not valid', 'no-store');
    return true;
  }
  if (rel === 'config.json') {
    send(200, TYPES['.json']!, JSON.stringify(LOCAL_CONSOLE_CONFIG), 'no-store');
    return true;
  }
  const file = normalize(join(dist, rel));
  if (file.startsWith(dist + sep) && existsSync(file) && statSync(file).isFile() && !rel.startsWith('.')) {
    const immutable = rel.startsWith('assets/');
    send(
      200,
      TYPES[extname(file)] ?? 'application/octet-stream',
      readFileSync(file),
      immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    return true;
  }
  // An asset that is not there is a 404, not the app (a stale page asking for an old bundle).
  if (rel.startsWith('assets/')) {
    send(404, 'text/plain; charset=utf-8', 'Not found', 'no-store');
    return true;
  }
  const index = join(dist, 'index.html');
  if (!existsSync(index)) {
    send(503, 'text/plain; charset=utf-8', 'The console is not built: npx tsx scripts/console-build.ts', 'no-store');
    return true;
  }
  send(200, TYPES['.html']!, readFileSync(index), 'no-cache');
  return true;
}

/** Puts the console in front of the gateway's own request handler on the same server. */
export function attachConsole(server: Server, dist = CONSOLE_DIST) {
  const gateway = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (serveConsole(req, res, dist)) return;
    for (const l of gateway) l(req, res);
  });
}
