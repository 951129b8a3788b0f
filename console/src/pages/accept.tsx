// The invitation email's link: sign in with the invited email, then Accept invitation. An expired,
// revoked or used link is the API's refusal, shown in its words with nothing else offered.
import { useState } from 'preact/hooks';
import { api, ok } from '../api/client';
import { useSession } from '../auth/session';
import { Alert, Link } from '../components/ui';
import { navigate } from '../router';
import { SignInPage } from './sign-in';

export function AcceptPage({ token }: { token: string }) {
  const session = useSession();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!token) {
    return (
      <main class="narrow">
        <h1>Accept invitation</h1>
        <Alert message="This link has no invitation token. Open the link from the invitation email again." />
      </main>
    );
  }
  if (!session) {
    return (
      <SignInPage
        title="Accept invitation"
        intro="You were invited to a workspace. Sign in with the email the invitation was sent to."
      />
    );
  }
  const accept = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await ok(api().POST('/v1/invitations/accept', { body: { token } }));
      const ws = (res as { workspace?: { id: string } }).workspace?.id;
      navigate(ws ? `/w/${encodeURIComponent(ws)}/members` : '/', true);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="narrow">
      <h1>Accept invitation</h1>
      {error ? (
        <>
          <Alert message={error} />
          <p>
            <Link href="/">Your workspaces</Link>
          </p>
        </>
      ) : (
        <>
          <p>
            Signed in as <strong>{session.email}</strong>. Accepting adds you to the workspace with the role you were
            invited with.
          </p>
          <button type="button" disabled={busy} onClick={accept}>
            Accept invitation
          </button>
        </>
      )}
    </main>
  );
}
