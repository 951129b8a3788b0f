// Settings › Provisioning (SCIM): tokens for the identity provider (shown once), and how roles are mapped.
import { useState } from 'preact/hooks';
import { api, ok } from '../api/client';
import { Alert, Status } from '../components/ui';
import { useLoad } from '../hooks';
import { useWorkspace } from '../workspace';

export function ScimSection() {
  const ctx = useWorkspace();
  const path = { ws: ctx.ws };
  const enabled = ctx.has('scim');
  const tokens = useLoad(
    () =>
      enabled ? ok(api().GET('/v1/workspaces/{ws}/scim/tokens', { params: { path } })) : Promise.resolve(undefined),
    [ctx.ws, enabled],
  );
  const roles = useLoad(
    () => (enabled ? ok(api().GET('/v1/workspaces/{ws}/roles', { params: { path } })) : Promise.resolve(undefined)),
    [ctx.ws, enabled],
  );
  const [name, setName] = useState('');
  const [maxRoleId, setMaxRoleId] = useState('member');
  const [shown, setShown] = useState<string>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const scim = ctx.workspace.settings.scim;
  const roleName = (id: string) => roles.data?.items.find((r) => r.id === id)?.name ?? id;

  const create = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      const made = await ok(
        api().POST('/v1/workspaces/{ws}/scim/tokens', { params: { path }, body: { name, maxRoleId } }),
      );
      // 202: the token's ceiling needs approval here; the API made an access request instead.
      if ('token' in made) setShown(made.token);
      else setStatus('Sent for approval: an access request was made.');
      setName('');
      tokens.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const revoke = async (id: string, label: string) => {
    setError(undefined);
    try {
      await ok(
        api().DELETE('/v1/workspaces/{ws}/scim/tokens/{tokenId}', { params: { path: { ...path, tokenId: id } } }),
      );
      setStatus(`SCIM token ${label} revoked.`);
      tokens.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section aria-labelledby="scim-title">
      <h2 id="scim-title">Provisioning (SCIM)</h2>
      {!enabled ? (
        <p class="muted">SCIM provisioning is not part of the {ctx.me.plan.id} plan.</p>
      ) : (
        <>
          <Alert message={error ?? tokens.error} />
          <Status message={status} />
          <p>
            Roles come from {scim?.rolesFrom === 'idp' ? 'the identity provider’s groups' : 'this console'}
            {scim ? `; people without a mapped group get ${roleName(scim.defaultRoleId)}` : ''}.
          </p>
          {scim && scim.groupRoles.length > 0 && (
            <ul>
              {scim.groupRoles.map((g) => (
                <li key={g.group}>
                  Group <strong>{g.group}</strong> → {roleName(g.roleId)}
                </li>
              ))}
            </ul>
          )}
          {shown && (
            <section aria-labelledby="new-scim" class="effect">
              <h3 id="new-scim">Your new SCIM token</h3>
              <p>Copy it into your identity provider now: it is shown only once.</p>
              <code class="secret">{shown}</code>
            </section>
          )}
          <ul class="cards">
            {tokens.data?.items.map((t) => (
              <li key={t.id}>
                <strong>{t.name}</strong> <code>{t.prefix}…</code> · up to {roleName(t.maxRoleId)}{' '}
                <button
                  type="button"
                  class="danger"
                  aria-label={`Revoke SCIM token ${t.name}`}
                  onClick={() => revoke(t.id, t.name)}
                >
                  Revoke
                </button>
              </li>
            ))}
          </ul>
          <form class="inline" onSubmit={create}>
            <label>
              Token name
              <input required maxLength={60} value={name} onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            <label>
              Highest role it may give
              <select value={maxRoleId} onChange={(e) => setMaxRoleId(e.currentTarget.value)}>
                {roles.data?.items
                  .filter((r) => r.assignable)
                  .map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
              </select>
            </label>
            <button type="submit">Create SCIM token</button>
          </form>
        </>
      )}
    </section>
  );
}
