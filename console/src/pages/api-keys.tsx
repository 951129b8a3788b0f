// API keys: listed with their role; a new key is shown once.
import { useState } from 'preact/hooks';
import { api, ok } from '../api/client';
import { Alert, ShownOnce, Status } from '../components/ui';
import { useLoad } from '../hooks';
import { useWorkspace } from '../workspace';
import type { PageProps } from '.';

export function ApiKeysPage(_: PageProps) {
  const ctx = useWorkspace();
  const path = { ws: ctx.ws };
  const keys = useLoad(() => ok(api().GET('/v1/workspaces/{ws}/api-keys', { params: { path } })), [ctx.ws]);
  const roles = useLoad(() => ok(api().GET('/v1/workspaces/{ws}/roles', { params: { path } })), [ctx.ws]);
  const [name, setName] = useState('');
  const [roleId, setRoleId] = useState('agent');
  const [shown, setShown] = useState<string>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const mayCreate = ctx.has('apiKeys');
  const create = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      const created = await ok(
        api().POST('/v1/workspaces/{ws}/api-keys', { params: { path }, body: { name, roleId } }),
      );
      // 202: the workspace asks for approval of new keys; the API made an access request instead.
      if ('key' in created) setShown(created.key);
      else setStatus('Sent for approval: an access request was made.');
      setName('');
      keys.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const revoke = async (id: string, label: string) => {
    setError(undefined);
    try {
      await ok(api().DELETE('/v1/workspaces/{ws}/api-keys/{keyId}', { params: { path: { ...path, keyId: id } } }));
      setStatus(`Key ${label} revoked.`);
      keys.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <>
      <h1>API keys</h1>
      <Alert message={error ?? keys.error} />
      <Status message={status} />
      <ShownOnce title="Your new key" hint="Copy it now: it is shown only once." secret={shown} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Key</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data?.items.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>{roles.data?.items.find((r) => r.id === k.roleId)?.name ?? k.roleId}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{k.suspended ? `Suspended: ${k.suspendedReason ?? ''}` : 'Active'}</td>
                <td>
                  <button
                    type="button"
                    class="danger"
                    aria-label={`Revoke key ${k.name}`}
                    onClick={() => revoke(k.id, k.name)}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {mayCreate ? (
        <form class="inline" onSubmit={create}>
          <label>
            Key name
            <input required maxLength={60} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label>
            Role
            <select value={roleId} onChange={(e) => setRoleId(e.currentTarget.value)}>
              {roles.data?.items
                .filter((r) => r.assignable)
                .map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
            </select>
          </label>
          <button type="submit">Create key</button>
        </form>
      ) : (
        <p class="muted">New API keys are not part of the {ctx.me.plan.id} plan.</p>
      )}
    </>
  );
}
