// Who is signed in. Local mode keeps the token in sessionStorage (this tab only); OIDC keeps it in memory
// only (never localStorage), so a reload signs in again through the issuer's own session.
import { useEffect, useState } from 'preact/hooks';
import { config } from '../config';

const KEY = 'console.session';

export interface Session {
  token: string;
  email: string;
}

let memory: Session | undefined;
const listeners = new Set<() => void>();

export function session(): Session | undefined {
  if (config().mode === 'oidc') return memory;
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Session;
  } catch {
    return undefined;
  }
}

export function setSession(next: Session | undefined) {
  if (config().mode === 'oidc') memory = next;
  else if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l();
}

export function useSession(): Session | undefined {
  const [s, set] = useState(session);
  useEffect(() => {
    const l = () => set(session());
    listeners.add(l);
    return () => listeners.delete(l);
  }, []);
  return s;
}
