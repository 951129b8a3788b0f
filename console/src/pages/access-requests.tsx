// Access requests: an approver sees pending requests with Approve / Deny; anyone may ask for access.
// Which requests the caller sees is the API's answer (its own, unless it may approve).
import { useState } from 'preact/hooks';
import { api, ok } from '../api/client';
import { Alert, LoadMore, Status } from '../components/ui';
import { useLoad, usePaged } from '../hooks';
import type { PageProps } from '../router';
import { useWorkspace } from '../workspace';

export function AccessRequestsPage(_: PageProps) {
  const ctx = useWorkspace();
  const path = { ws: ctx.ws };
  const requests = usePaged(
    (cursor) =>
      ok(
        api().GET('/v1/workspaces/{ws}/access-requests', {
          params: { path, query: { status: 'pending', ...(cursor ? { cursor } : {}) } },
        }),
      ),
    [ctx.ws],
  );
  // Requesters are members: their emails come from the member list (the request names a member id).
  const members = useLoad(
    () => ok(api().GET('/v1/workspaces/{ws}/members', { params: { path, query: { limit: 100 } } })),
    [ctx.ws],
  );
  const [reason, setReason] = useState('');
  const [roleId, setRoleId] = useState('');
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const emailOf = (memberId: string) => members.data?.items.find((m) => m.id === memberId)?.email ?? memberId;
  const approver = ctx.can('teammates.manage');
  const decide = async (id: string, how: 'approve' | 'deny', who: string) => {
    setError(undefined);
    try {
      const p = { params: { path: { ...path, requestId: id } } };
      await ok(
        how === 'approve'
          ? api().POST('/v1/workspaces/{ws}/access-requests/{requestId}/approve', p)
          : api().POST('/v1/workspaces/{ws}/access-requests/{requestId}/deny', p),
      );
      setStatus(`Request from ${who} ${how === 'approve' ? 'approved' : 'denied'}.`);
      requests.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const ask = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await ok(
        api().POST('/v1/workspaces/{ws}/access-requests', {
          params: { path },
          body: { reason, ...(roleId ? { roleId } : {}) },
        }),
      );
      setStatus('Request sent.');
      setReason('');
      requests.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <>
      <h1>Access requests</h1>
      <Alert message={error ?? requests.error} />
      <Status message={status} />
      {requests.items?.length === 0 && <p>No pending requests.</p>}
      <ul class="cards">
        {requests.items?.map((r) => {
          const who = r.email ?? emailOf(r.requestedBy);
          return (
            <li key={r.id}>
              <p>
                <strong>{who}</strong> asks for {r.kind === 'role' ? `the role ${r.roleId}` : r.kind}: {r.reason}
              </p>
              {r.requestedBy !== ctx.me.member.id && (
                <div class="actions">
                  <button
                    type="button"
                    aria-label={`Approve request from ${who}`}
                    onClick={() => decide(r.id, 'approve', who)}
                  >
                    Approve
                  </button>
                  <button
                    type="button"
                    class="danger"
                    aria-label={`Deny request from ${who}`}
                    onClick={() => decide(r.id, 'deny', who)}
                  >
                    Deny
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <LoadMore hasMore={requests.hasMore} onMore={requests.loadMore} />
      {!approver && (
        <form onSubmit={ask}>
          <h2>Ask for access</h2>
          <label>
            Role (optional, id)
            <input value={roleId} maxLength={64} onInput={(e) => setRoleId(e.currentTarget.value)} />
          </label>
          <label>
            Reason
            <input required maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <button type="submit">Request access</button>
        </form>
      )}
    </>
  );
}
