// Local mode: an Email field; the local issuer signs a token for that email (POST /dev/token), kept for
// this tab only. Deployed: OpenID Connect code + PKCE against the configured issuer.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { localSub } from '../auth/local-sub';
import { startSignIn } from '../auth/oidc';
import { setSession } from '../auth/session';
import { Alert } from '../components/ui';
import { config } from '../config';

export function SignInPage({
  title = 'Sign in',
  intro,
  email: suggested = '',
}: {
  title?: string;
  intro?: ComponentChildren;
  /** Pre-filled (the invited address on the accept page). */
  email?: string;
}) {
  const [email, setEmail] = useState(suggested);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const local = config().mode === 'local';

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      if (!local) return await startSignIn(location.pathname + location.search);
      const res = await fetch(`${config().apiBase}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub: localSub(email), email: email.trim() }),
      });
      const body = (await res.json().catch(() => ({}))) as { token?: string; error?: { message?: string } };
      if (!res.ok || !body.token) throw new Error(body.error?.message ?? `Sign-in failed (HTTP ${res.status})`);
      setSession({ token: body.token, email: email.trim() });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="narrow">
      <h1>{title}</h1>
      {intro && <p>{intro}</p>}
      <form onSubmit={submit}>
        {local && (
          <label>
            Email
            <input
              type="email"
              name="email"
              autoComplete="email"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </label>
        )}
        <Alert message={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {local && <p class="hint">Local mode: any email signs in through the local issuer.</p>}
    </main>
  );
}
