// The API client, typed by the generated schema (schema.d.ts from the OpenAPI document): a path, a
// parameter or a response field the API no longer has fails `tsc -p console`.
import createClient, { type Middleware } from 'openapi-fetch';
import { session, setSession } from '../auth/session';
import { config } from '../config';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

let client: ReturnType<typeof createClient<paths>> | undefined;
/** Calls made since load, for the figures (API calls per page load). */
export const apiCalls: string[] = [];

const auth: Middleware = {
  onRequest({ request }) {
    const s = session();
    if (s) request.headers.set('authorization', `Bearer ${s.token}`);
    apiCalls.push(`${request.method} ${new URL(request.url).pathname}`);
    return request;
  },
  onResponse({ response }) {
    // An expired or refused token: sign out, so the sign-in page shows instead of a broken console.
    if (response.status === 401 && session()) setSession(undefined);
    return response;
  },
};

export function api() {
  if (!client) {
    client = createClient<paths>({ baseUrl: config().apiBase });
    client.use(auth);
  }
  return client;
}

/** An answer the API refused, with its message (shown to the user as is). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The body of a successful answer, or an ApiError carrying the API's own message. */
export async function ok<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await p;
  if (response.ok) return data as T;
  const e = (error ?? {}) as { error?: { message?: string; code?: string }; message?: string };
  const message = e.error?.message ?? e.message ?? `The API answered HTTP ${response.status}`;
  throw new ApiError(response.status, message, e.error?.code);
}

const early = new Map<string, { at: number; promise: Promise<unknown> }>();

/**
 * A read started before its page mounts (the layout starts a page's first reads alongside /me, so the
 * page does not wait for /me before asking): the page takes it once, else reads afresh.
 */
export function prefetched<T>(key: string, read: () => Promise<T>, start = false): Promise<T> {
  const hit = early.get(key);
  if (start) {
    if (!hit || Date.now() - hit.at > 5_000) {
      const promise = read();
      promise.catch(() => undefined);
      early.set(key, { at: Date.now(), promise });
    }
    return early.get(key)!.promise as Promise<T>;
  }
  early.delete(key);
  if (hit && Date.now() - hit.at < 5_000) return hit.promise as Promise<T>;
  return read();
}
