// Routes: /console/ (sign-in, then the workspaces), /console/accept?token=…, /console/callback (OIDC),
// /console/w/{ws}/{page}[/…] (a workspace page inside the workspace layout).
import { useEffect, useState } from 'preact/hooks';
import { completeSignIn } from './auth/oidc';
import { setSession, useSession } from './auth/session';
import { WorkspaceLayout } from './components/layout';
import { Alert } from './components/ui';
import { AcceptPage } from './pages/accept';
import { SignInPage } from './pages/sign-in';
import { WorkspacesPage } from './pages/workspaces';
import { navigate, useLocation } from './router';

export function App() {
  const { path, query } = useLocation();
  const session = useSession();
  if (path === '/callback') return <Callback query={query} />;
  if (path === '/accept') return <AcceptPage token={query.get('token') ?? ''} />;
  if (!session) return <SignInPage />;
  const w = /^\/w\/([^/]+)(?:\/([^/]+)(\/.*)?)?\/?$/.exec(path);
  if (w?.[1]) {
    const ws = decodeURIComponent(w[1]);
    if (!w[2]) {
      navigate(`/w/${encodeURIComponent(ws)}/members`, true);
      return null;
    }
    return <WorkspaceLayout ws={ws} slug={w[2]} rest={w[3] ?? ''} query={query} />;
  }
  return <WorkspacesPage email={session.email} onSignOut={() => setSession(undefined)} />;
}

function Callback({ query }: { query: URLSearchParams }) {
  const [error, setError] = useState<string>();
  useEffect(() => {
    completeSignIn(query).then(
      (to) => navigate(to || '/', true),
      (err: Error) => setError(err.message),
    );
  }, [query]);
  return (
    <main>
      <h1>Signing in…</h1>
      <Alert message={error} />
    </main>
  );
}
