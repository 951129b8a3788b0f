// API keys: listed with their role; a new key is shown once.
import { useState } from 'preact/hooks';
import { api, ok } from '../api/client';
import { Alert, RoleSelect, RowActions, ShownOnce, Status } from '../components/ui';
import { APPROVAL_PENDING, useActions, useLoad } from '../hooks';
import type { PageProps } from '../router';
import { useWorkspace } from '../workspace';

export function ApiKeysPage(_: PageProps) {
  const ctx = useWorkspace();
  const path = { ws: ctx.ws };
  const keys = useLoad(() => ok(api().GET('/v1/workspaces/{ws}/api-keys', { params: { path } })), [ctx.ws]);
  const roles = useLoad(() => ok(api().GET('/v1/workspaces/{ws}/roles', { params: { path } })), [ctx.ws]);
  const [name, setName] = useState('');
  const [roleId, setRoleId] = useState('agent');
  const [shown, setShown] = useState<string>();
  const { error, status, act } = useActions();
  const mayCreate = ctx.has('apiKeys');
  const create = (e: Event) => {
    e.preventDefault();
    act(
      // 202: the workspace asks for approval of new keys; the API made an access request instead.
      (made) => ('key' in made ? `Key ${made.name} created.` : APPROVAL_PENDING),
      async () => {
        const made = await ok(api().POST('/v1/workspaces/{ws}/api-keys', { params: { path }, body: { name, roleId } }));
        setShown('key' in made ? made.key : undefined);
        setName('');
        return made;
      },
      keys.reload,
    );
  };
  const revoke = (id: string, label: string) =>
    act(
      `Key ${label} revoked.`,
      () => ok(api().DELETE('/v1/workspaces/{ws}/api-keys/{keyId}', { params: { path: { ...path, keyId: id } } })),
      keys.reload,
    );
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
                  <RowActions
                    actions={[
                      {
                        label: 'Revoke',
                        name: `Revoke key ${k.name}`,
                        danger: true,
                        onClick: () => revoke(k.id, k.name),
                      },
                    ]}
                  />
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
          <RoleSelect
            label="Role"
            roles={roles.data?.items.filter((r) => r.assignable)}
            value={roleId}
            onChange={setRoleId}
          />
          <button type="submit">Create key</button>
        </form>
      ) : (
        <p class="muted">New API keys are not part of the {ctx.me.plan.id} plan.</p>
      )}
    </>
  );
}
