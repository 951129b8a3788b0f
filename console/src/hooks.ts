import { useCallback, useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): void;
  set(data: T): void;
}

/** Runs a load when its keys change; the error is the API's message. */
export function useLoad<T>(load: () => Promise<T>, keys: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (err: Error) => live && setState({ error: err.message, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...keys, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const set = useCallback((data: T) => setState({ data, loading: false }), []);
  return { data: state.data, error: state.error, loading: state.loading, reload, set };
}

/** A paged list with Load more: keeps every page fetched so far. */
export function usePaged<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | null }>,
  keys: unknown[],
) {
  const first = useLoad(() => fetchPage(undefined), keys);
  const [more, setMore] = useState<{ items: T[]; nextCursor: string | null }>({ items: [], nextCursor: null });
  const [moreError, setMoreError] = useState<string>();
  useEffect(() => {
    setMore({ items: [], nextCursor: first.data?.nextCursor ?? null });
  }, [first.data]);
  const loadMore = async () => {
    try {
      const page = await fetchPage(more.nextCursor ?? undefined);
      setMore((m) => ({ items: [...m.items, ...page.items], nextCursor: page.nextCursor ?? null }));
    } catch (err) {
      setMoreError((err as Error).message);
    }
  };
  return {
    items: first.data ? [...first.data.items, ...more.items] : undefined,
    hasMore: Boolean(more.nextCursor),
    loadMore,
    error: first.error ?? moreError,
    loading: first.loading,
    reload: first.reload,
  };
}

/**
 * A page's writes: `act` runs one, shows what was done in `status` (or the API's refusal in `error`) and
 * reloads what it changed. Resolves to whether it succeeded.
 */
export function useActions() {
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const act = async <T>(done: string | ((result: T) => string), run: () => Promise<T>, reload?: () => void) => {
    setError(undefined);
    try {
      const result = await run();
      setStatus(typeof done === 'string' ? done : done(result));
      reload?.();
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    }
  };
  return { error, status, setStatus, act };
}

/** What a create that may need approval answered: 202 is an access request made instead of the thing. */
export const APPROVAL_PENDING = 'Sent for approval: an access request was made.';
