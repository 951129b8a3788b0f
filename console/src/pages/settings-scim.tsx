// Settings › Provisioning (SCIM): tokens for the identity provider (shown once), and how roles are mapped.
import { useState } from 'preact/hooks';
import { api, ok, type Schemas } from '../api/client';
import { Alert, RoleSelect, ShownOnce, Status } from '../components/ui';
import { APPROVAL_PENDING, useActions, useLoad } from '../hooks';
import { useWorkspace } from '../workspace';

type Role = Schemas['Role'];

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
  const { error, status, setStatus, act } = useActions();
  const roleName = (id: string) => roles.data?.items.find((r) => r.id === id)?.name ?? id;

  const create = (e: Event) => {
    e.preventDefault();
    act(
      // 202: the token's ceiling needs approval here; the API made an access request instead.
      (made) => ('token' in made ? `SCIM token ${made.name} created.` : APPROVAL_PENDING),
      async () => {
        const made = await ok(
          api().POST('/v1/workspaces/{ws}/scim/tokens', { params: { path }, body: { name, maxRoleId } }),
        );
        setShown('token' in made ? made.token : undefined);
        setName('');
        return made;
      },
      tokens.reload,
    );
  };
  const revoke = (id: string, label: string) =>
    act(
      `SCIM token ${label} revoked.`,
      () =>
        ok(api().DELETE('/v1/workspaces/{ws}/scim/tokens/{tokenId}', { params: { path: { ...path, tokenId: id } } })),
      tokens.reload,
    );

  return (
    <section aria-labelledby="scim-title">
      <h2 id="scim-title">Provisioning (SCIM)</h2>
      {!enabled ? (
        <p class="muted">SCIM provisioning is not part of the {ctx.me.plan.id} plan.</p>
      ) : (
        <>
          <Alert message={error ?? tokens.error} />
          <Status message={status} />
          <RoleMapping
            assignable={roles.data?.items.filter((r) => r.assignable)}
            onSaved={(msg) => {
              setStatus(msg);
              ctx.refresh();
            }}
          />
          <ShownOnce
            title="Your new SCIM token"
            hint="Copy it into your identity provider now: it is shown only once."
            secret={shown}
            level={3}
          />
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
            <RoleSelect
              label="Highest role it may give"
              roles={roles.data?.items.filter((r) => r.assignable)}
              value={maxRoleId}
              onChange={setMaxRoleId}
            />
            <button type="submit">Create SCIM token</button>
          </form>
        </>
      )}
    </section>
  );
}

/**
 * How provisioned people get their role: from the identity provider's groups (the first mapped group they are
 * in, else their `roles` value, else the default) or from this console. Saved with the workspace settings.
 */
function RoleMapping(props: { assignable: Role[] | undefined; onSaved(msg: string): void }) {
  const ctx = useWorkspace();
  const scim = ctx.workspace.settings.scim;
  const [rolesFrom, setRolesFrom] = useState<'idp' | 'app'>(scim?.rolesFrom ?? 'idp');
  const [defaultRoleId, setDefault] = useState(scim?.defaultRoleId ?? 'member');
  const [groups, setGroups] = useState(scim?.groupRoles ?? []);
  const [error, setError] = useState<string>();
  const roles = props.assignable ?? [];
  const setGroup = (i: number, change: Partial<{ group: string; roleId: string }>) =>
    setGroups(groups.map((g, j) => (j === i ? { ...g, ...change } : g)));
  const save = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await ok(
        api().PATCH('/v1/workspaces/{ws}', {
          params: { path: { ws: ctx.ws } },
          body: { settings: { scim: { rolesFrom, defaultRoleId, groupRoles: groups } } },
        }),
      );
      props.onSaved('Role mapping saved.');
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form onSubmit={save}>
      <fieldset>
        <legend>Role mapping</legend>
        <label>
          Roles come from
          <select value={rolesFrom} onChange={(e) => setRolesFrom(e.currentTarget.value as 'idp' | 'app')}>
            <option value="idp">The identity provider’s groups</option>
            <option value="app">This console (set once, at provisioning)</option>
          </select>
        </label>
        <RoleSelect label="Default role" roles={roles} value={defaultRoleId} onChange={setDefault} />
        {groups.map((g, i) => (
          <div class="inline" key={i}>
            <label>
              Group {i + 1}
              <input
                required
                maxLength={256}
                value={g.group}
                onInput={(e) => setGroup(i, { group: e.currentTarget.value })}
              />
            </label>
            <RoleSelect
              label={`Role for group ${i + 1}`}
              roles={roles}
              value={g.roleId}
              onChange={(roleId) => setGroup(i, { roleId })}
            />
            <button
              type="button"
              class="secondary"
              aria-label={`Remove group ${i + 1}`}
              onClick={() => setGroups(groups.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </div>
        ))}
        <div class="actions">
          <button
            type="button"
            class="secondary"
            onClick={() => setGroups([...groups, { group: '', roleId: defaultRoleId }])}
          >
            Add group
          </button>
          <button type="submit">Save role mapping</button>
        </div>
        <Alert message={error} />
      </fieldset>
    </form>
  );
}
