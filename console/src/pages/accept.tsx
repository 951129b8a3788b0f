// The invitation email's link: names the workspace and the role (POST /v1/invitations/preview, before
// sign-in), asks for the invited email, then Accept invitation lands in the workspace. A used, revoked,
// replaced or expired link says so in words and offers nothing else.
import { useState } from 'preact/hooks';
import { ApiError, api, ok } from '../api/client';
import { useSession } from '../auth/session';
import { Alert, Link } from '../components/ui';
import { useLoad } from '../hooks';
import { navigate } from '../router';
import { SignInPage } from './sign-in';

/** The API's 404 names nothing; the page says what it can mean, in words. */
const GONE =
  'This invitation link no longer works: it was already used, revoked, or replaced by a newer invitation. Ask the person who invited you for a new one.';

export function AcceptPage({ token }: { token: string }) {
  const session = useSession();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const invitation = useLoad(
    () =>
      token
        ? ok(api().POST('/v1/invitations/preview', { body: { token } })).catch((err: unknown) => {
            throw err instanceof ApiError && err.status === 404 ? new Error(GONE) : err;
          })
        : Promise.reject(
            new Error('This link has no invitation token. Open the link from the invitation email again.'),
          ),
    [token],
  );
  const refused = error ?? invitation.error;
  if (refused) {
    return (
      <main class="narrow">
        <h1>Accept invitation</h1>
        <Alert message={refused} />
        {session && (
          <p>
            <Link href="/">Your workspaces</Link>
          </p>
        )}
      </main>
    );
  }
  const it = invitation.data;
  if (!it) {
    return (
      <main class="narrow">
        <h1>Accept invitation</h1>
        <p role="status">Reading the invitation…</p>
      </main>
    );
  }
  const what = (
    <>
      You are invited to <strong>{it.workspace.name}</strong> as <strong>{it.role.name}</strong>.
    </>
  );
  if (!session) {
    return (
      <SignInPage
        title="Accept invitation"
        email={it.email}
        intro={
          <>
            {what} Sign in with <strong>{it.email}</strong>, the address the invitation was sent to.
          </>
        }
      />
    );
  }
  const accept = async () => {
    setBusy(true);
    try {
      const res = await ok(api().POST('/v1/invitations/accept', { body: { token } }));
      navigate(`/w/${encodeURIComponent(res.workspace.id)}/members`, true);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <main class="narrow">
      <h1>Accept invitation</h1>
      <p>{what}</p>
      <p>
        Signed in as <strong>{session.email}</strong>
        {session.email.toLowerCase() !== it.email.toLowerCase() && (
          <>
            {' '}
            (the invitation was sent to <strong>{it.email}</strong>)
          </>
        )}
        .
      </p>
      <button type="button" disabled={busy} onClick={accept}>
        Accept invitation
      </button>
    </main>
  );
}
