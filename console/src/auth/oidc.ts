// OpenID Connect authorization code with PKCE (RFC 7636) for the deployed console: a public client, the
// verifier and state kept in sessionStorage only across the redirect, the tokens in memory only.
import { config } from '../config';
import { setSession } from './session';

const PENDING = 'console.oidc.pending';

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const randomString = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

async function discover(): Promise<Discovery> {
  const c = config();
  if (c.mode !== 'oidc') throw new Error('not in OIDC mode');
  const res = await fetch(`${c.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`The sign-in service did not answer (HTTP ${res.status})`);
  return (await res.json()) as Discovery;
}

const redirectUri = () => `${location.origin}${import.meta.env.BASE_URL}callback`;

export async function startSignIn(returnTo: string): Promise<void> {
  const c = config();
  if (c.mode !== 'oidc') return;
  const d = await discover();
  const verifier = randomString();
  const state = randomString();
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(d.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: c.clientId,
    redirect_uri: redirectUri(),
    scope: c.scope ?? 'openid email',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** Completes the redirect back to /console/callback; returns where to go next. */
export async function completeSignIn(params: URLSearchParams): Promise<string> {
  const c = config();
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (c.mode !== 'oidc' || !raw) throw new Error('No sign-in was started in this tab.');
  const pending = JSON.parse(raw) as { verifier: string; state: string; returnTo: string };
  if (params.get('error')) throw new Error(params.get('error_description') ?? params.get('error') ?? 'Sign-in failed');
  if (params.get('state') !== pending.state) throw new Error('The sign-in answer does not match this tab; try again.');
  const code = params.get('code');
  if (!code) throw new Error('The sign-in answer has no code.');
  const d = await discover();
  const res = await fetch(d.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      client_id: c.clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!res.ok) throw new Error(`The sign-in service refused the code (HTTP ${res.status})`);
  const tokens = (await res.json()) as { id_token?: string; access_token?: string };
  const token = tokens.id_token ?? tokens.access_token;
  if (!token) throw new Error('The sign-in service returned no token.');
  setSession({ token, email: emailOf(token) });
  return pending.returnTo;
}

function emailOf(jwt: string): string {
  try {
    const payload = JSON.parse(atob((jwt.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as {
      email?: string;
    };
    return payload.email ?? '';
  } catch {
    return '';
  }
}
