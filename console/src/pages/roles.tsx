// Roles: built-in, template and custom roles; the editor shows one fieldset per catalog section and, when
// editing a role people hold, who gains or loses what (the simulate route) before Save role.
import { useEffect, useState } from 'preact/hooks';
import { api, ok, type Schemas } from '../api/client';
import { Alert, Link, Status } from '../components/ui';
import { useLoad } from '../hooks';
import { navigate, type PageProps } from '../router';
import { type Catalog, permissionCatalog, permissionLabel, useWorkspace } from '../workspace';

type Role = Schemas['Role'];
type PermissionMap = Schemas['PermissionMap'];
type Value = PermissionMap[string];

const KIND: Record<Role['kind'], string> = { builtin: 'Built-in', template: 'Template', custom: 'Custom' };
/** "Start from", grouped: the built-in roles first (the usual start), then templates, then this workspace's. */
const START_GROUPS: readonly [Role['kind'], string][] = [
  ['builtin', 'Built-in roles'],
  ['template', 'Templates'],
  ['custom', 'Custom roles'],
];

export function RolesPage({ rest, query }: PageProps) {
  const id = decodeURIComponent(rest.replace(/^\//, ''));
  // Keyed: a saved new role or a duplicate is a fresh editor that reads the roles again.
  if (id === 'new') return <RoleEditor key={`new:${query.get('from') ?? ''}`} from={query.get('from') ?? undefined} />;
  if (id) return <RoleEditor key={id} roleId={id} />;
  return <RoleList />;
}

function RoleList() {
  const ctx = useWorkspace();
  const roles = useLoad(
    () => ok(api().GET('/v1/workspaces/{ws}/roles', { params: { path: { ws: ctx.ws } } })),
    [ctx.ws],
  );
  const base = `/w/${encodeURIComponent(ctx.ws)}/roles`;
  return (
    <>
      <div class="page-head">
        <h1>Roles</h1>
        {ctx.can('roles.manage') && (
          <button type="button" onClick={() => navigate(`${base}/new`)}>
            New role
          </button>
        )}
      </div>
      <Alert message={roles.error} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Kind</th>
              <th scope="col">Members</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {roles.data?.items.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link href={`${base}/${encodeURIComponent(r.id)}`}>{r.name}</Link>
                </td>
                <td>{KIND[r.kind]}</td>
                <td>{r.memberCount}</td>
                <td class="muted">{r.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The editor's state as the API's input: every catalog permission, `false` for No access (the API applies
 * `permissions` over the role as stored, so a permission left out would keep its old value). */
function asInput(
  catalog: Catalog | undefined,
  perms: PermissionMap,
): Record<string, boolean | 'all' | 'groups' | 'assigned'> {
  const out: Record<string, boolean | 'all' | 'groups' | 'assigned'> = {};
  for (const s of catalog?.sections ?? []) for (const p of s.permissions) out[p.key] = perms[p.key] ?? false;
  return out;
}

const best = (scoped: boolean): Value => (scoped ? 'all' : true);
const encode = (v: Value | undefined): string => (v === undefined ? '' : v === true ? 'allowed' : v);
const decode = (s: string): Value | undefined => (s === '' ? undefined : s === 'allowed' ? true : (s as Value));

function RoleEditor({ roleId, from }: { roleId?: string; from?: string }) {
  const ctx = useWorkspace();
  const path = { ws: ctx.ws };
  const base = `/w/${encodeURIComponent(ctx.ws)}/roles`;
  const catalog = useLoad(permissionCatalog, []);
  const roles = useLoad(() => ok(api().GET('/v1/workspaces/{ws}/roles', { params: { path } })), [ctx.ws]);
  const role = roleId ? roles.data?.items.find((r) => r.id === roleId) : undefined;
  const [name, setName] = useState('');
  const [startFrom, setStartFrom] = useState(from ?? '');
  const [perms, setPerms] = useState<PermissionMap>({});
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const editable = !roleId || (role?.kind === 'custom' && ctx.can('roles.manage'));

  useEffect(() => {
    if (role) {
      setName(role.name);
      setPerms({ ...role.permissions });
    } else if (!roleId && from && roles.data) {
      const src = roles.data.items.find((r) => r.id === from);
      if (src) {
        setName(`${src.name} (copy)`);
        setPerms({ ...src.permissions });
      }
    }
  }, [role, roles.data, roleId, from]);

  const chooseStart = (id: string) => {
    setStartFrom(id);
    const src = roles.data?.items.find((r) => r.id === id);
    setPerms(src ? { ...src.permissions } : {});
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      if (role) {
        await ok(
          api().PATCH('/v1/workspaces/{ws}/roles/{roleId}', {
            params: { path: { ...path, roleId: role.id } },
            body: {
              name,
              permissions: asInput(catalog.data, perms),
              ...(role.version ? { version: role.version } : {}),
            },
          }),
        );
        setStatus(`Role ${name} saved.`);
        roles.reload();
      } else {
        const created = await ok(
          api().POST('/v1/workspaces/{ws}/roles', {
            params: { path },
            body: { name, permissions: asInput(catalog.data, perms) },
          }),
        );
        navigate(`${base}/${encodeURIComponent(created.id)}`);
      }
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const title = roleId ? (role?.name ?? 'Role') : 'New role';
  // Any role is a starting point: its permissions fill the editor, the new role is saved as custom.
  const starts = roles.data?.items ?? [];
  return (
    <>
      <div class="page-head">
        <h1>{title}</h1>
        {role && role.kind !== 'custom' && ctx.can('roles.manage') && (
          <button type="button" onClick={() => navigate(`${base}/new?from=${encodeURIComponent(role.id)}`)}>
            Duplicate
          </button>
        )}
      </div>
      <p>
        <Link href="/">Workspaces</Link> › <Link href={`/w/${encodeURIComponent(ctx.ws)}/roles`}>Roles</Link>
      </p>
      {role && role.kind !== 'custom' && <p>{KIND[role.kind]} roles are read-only: duplicate one to change it.</p>}
      <Alert message={error ?? roles.error ?? catalog.error} />
      <Status message={status} />
      <form onSubmit={save}>
        <label>
          Name
          <input
            required
            maxLength={60}
            disabled={!editable}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        {!roleId && (
          <label>
            Start from
            <select value={startFrom} onChange={(e) => chooseStart(e.currentTarget.value)}>
              <option value="">Nothing (no access)</option>
              {START_GROUPS.map(([kind, label]) => {
                const these = starts.filter((r) => r.kind === kind);
                return (
                  these.length > 0 && (
                    <optgroup key={kind} label={label}>
                      {these.map((r) => (
                        <option key={r.id} value={r.id}>
                          {r.name}
                        </option>
                      ))}
                    </optgroup>
                  )
                );
              })}
            </select>
          </label>
        )}
        {catalog.data && (
          <PermissionEditor catalog={catalog.data} value={perms} onChange={setPerms} disabled={!editable} />
        )}
        {role && editable && role.memberCount > 0 && catalog.data && (
          <WhoIsAffected role={role} perms={perms} name={name} catalog={catalog.data} />
        )}
        {editable && (
          <div class="actions">
            <button type="submit">Save role</button>
          </div>
        )}
      </form>
    </>
  );
}

function PermissionEditor(props: {
  catalog: Catalog;
  value: PermissionMap;
  onChange(v: PermissionMap): void;
  disabled: boolean;
}) {
  const set = (key: string, v: Value | undefined) => {
    const next = { ...props.value };
    if (v === undefined) delete next[key];
    else next[key] = v;
    props.onChange(next);
  };
  return (
    <div class="sections">
      {props.catalog.sections.map((s) => {
        const full = s.permissions.every((p) => props.value[p.key] === best(p.scoped));
        return (
          <fieldset key={s.id} disabled={props.disabled}>
            <legend>{s.label}</legend>
            <label class="check">
              <input
                type="checkbox"
                checked={full}
                onChange={(e) => {
                  const next = { ...props.value };
                  for (const p of s.permissions) {
                    if (e.currentTarget.checked) next[p.key] = best(p.scoped);
                    else delete next[p.key];
                  }
                  props.onChange(next);
                }}
              />
              Full access to {s.label}
            </label>
            {s.permissions.map((p) => (
              <label key={p.key} class="perm">
                <span>
                  {p.label}
                  {p.dangerous && <span class="badge">sensitive</span>}
                </span>
                <select value={encode(props.value[p.key])} onChange={(e) => set(p.key, decode(e.currentTarget.value))}>
                  <option value="">No access</option>
                  {p.scoped ? (
                    <>
                      <option value="assigned">Assigned</option>
                      <option value="groups">Groups</option>
                      <option value="all">All</option>
                    </>
                  ) : (
                    <option value="allowed">Allowed</option>
                  )}
                </select>
              </label>
            ))}
          </fieldset>
        );
      })}
    </div>
  );
}

function WhoIsAffected(props: { role: Role; perms: PermissionMap; name: string; catalog?: Catalog }) {
  const ctx = useWorkspace();
  const key = JSON.stringify(props.perms);
  const sim = useLoad(
    () =>
      ok(
        api().POST('/v1/workspaces/{ws}/roles/{roleId}/simulate', {
          params: { path: { ws: ctx.ws, roleId: props.role.id } },
          body: {
            permissions: asInput(props.catalog, props.perms),
            ...(props.role.version ? { version: props.role.version } : {}),
          },
        }),
      ),
    [key],
  );
  const rows = (sim.data?.changes ?? []).filter((c) => c.gain.length > 0 || c.lose.length > 0);
  return (
    <section aria-labelledby="affected-title" aria-busy={sim.loading} class="effect">
      <h2 id="affected-title">Who is affected</h2>
      <Alert message={sim.error} />
      {sim.data && rows.length === 0 && <p>Nobody gains or loses a permission with these changes.</p>}
      <ul>
        {rows.map((c) => (
          <li key={c.permission}>
            {permissionLabel(props.catalog, c.permission)}:{' '}
            {c.gain.length > 0 && <>gained by {c.gain.map((h) => h.label).join(', ')}</>}
            {c.gain.length > 0 && c.lose.length > 0 && '; '}
            {c.lose.length > 0 && <>lost by {c.lose.map((h) => h.label).join(', ')}</>}
          </li>
        ))}
      </ul>
    </section>
  );
}
