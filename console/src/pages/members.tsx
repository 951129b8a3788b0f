// Members: the team with their roles and status, pending invitations, and every change of a member's
// access. Which controls appear comes from /me; what the API refuses is shown with its message.
import { useState } from 'preact/hooks';
import { api, ok, prefetched, type Schemas } from '../api/client';
import { Alert, CheckList, FormDialog, LoadMore, MenuButton, RoleSelect, RowActions, Status } from '../components/ui';
import { useActions, useLoad, usePaged } from '../hooks';
import type { PageProps } from '../router';
import { type Catalog, permissionCatalog, permissionLabel, useWorkspace } from '../workspace';

type Member = Schemas['Member'];
type Invitation = Schemas['Invitation'];
type Role = Schemas['Role'];

type Open = { kind: 'invite' } | { kind: 'role' | 'grant' | 'why' | 'remove'; member: Member } | undefined;

/** "ada.lovelace@x" → "Ada Lovelace": members have no display name in the API yet. */
export function nameOf(email: string): string {
  return (email.split('@')[0] ?? email)
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');
}

const firstMembers = (ws: string) =>
  ok(api().GET('/v1/workspaces/{ws}/members', { params: { path: { ws }, query: { limit: 50 } } }));
const allRoles = (ws: string) => ok(api().GET('/v1/workspaces/{ws}/roles', { params: { path: { ws } } }));

/** Started by the layout with /me: the reads that do not depend on what /me says. */
export function prefetchMembers(ws: string) {
  prefetched(`members:${ws}`, () => firstMembers(ws), true);
  prefetched(`roles:${ws}`, () => allRoles(ws), true);
}

export function MembersPage(_: PageProps) {
  const ctx = useWorkspace();
  const path = { ws: ctx.ws };
  const mayManage = ctx.can('teammates.manage');
  const mayInvite = ctx.can('teammates.invite');
  const members = usePaged(
    (cursor) =>
      cursor
        ? ok(api().GET('/v1/workspaces/{ws}/members', { params: { path, query: { limit: 50, cursor } } }))
        : prefetched(`members:${ctx.ws}`, () => firstMembers(ctx.ws)),
    [ctx.ws],
  );
  const invitations = usePaged(
    (cursor) =>
      mayInvite
        ? ok(
            api().GET('/v1/workspaces/{ws}/invitations', {
              params: { path, query: { limit: 50, ...(cursor ? { cursor } : {}) } },
            }),
          )
        : Promise.resolve({ items: [] as Invitation[], nextCursor: null }),
    [ctx.ws, mayInvite],
  );
  const roles = useLoad(() => prefetched(`roles:${ctx.ws}`, () => allRoles(ctx.ws)), [ctx.ws]);
  const [open, setOpen] = useState<Open>();
  const { error, status, setStatus, act } = useActions();
  /** A dialog's end: closed, what it did in the status, and the list it changed read again. */
  const closeWith = (reload?: () => void) => (msg: string) => {
    setOpen(undefined);
    setStatus(msg);
    reload?.();
  };

  const roleName = (id: string) => roles.data?.items.find((r) => r.id === id)?.name ?? id;
  const assignable = (roles.data?.items ?? []).filter((r) => r.assignable);
  const pending = (invitations.items ?? []).filter((i) => i.status === 'pending');

  return (
    <>
      <div class="page-head">
        <h1>Members</h1>
        {mayInvite && (
          <button type="button" onClick={() => setOpen({ kind: 'invite' })}>
            Invite teammate
          </button>
        )}
      </div>
      <Alert message={error ?? members.error ?? invitations.error ?? roles.error} />
      <Status message={status} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              {(mayManage || mayInvite) && (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {members.items?.map((m) => {
              const deactivated = m.status === 'deactivated';
              const self = m.id === ctx.me.member.id;
              return (
                <tr key={m.id}>
                  <td>{nameOf(m.email)}</td>
                  <td>{m.email}</td>
                  <td>
                    {roleName(m.roleId)}
                    {m.roleUntil && <span class="muted"> until {new Date(m.roleUntil).toLocaleString()}</span>}
                  </td>
                  <td>{deactivated ? 'Deactivated' : 'Active'}</td>
                  {(mayManage || mayInvite) && (
                    <td>
                      {mayManage && !self && (
                        <MenuButton
                          label={`Actions for ${m.email}`}
                          items={[
                            { label: 'Change role', onSelect: () => setOpen({ kind: 'role', member: m }) },
                            deactivated
                              ? {
                                  label: 'Reactivate',
                                  onSelect: () =>
                                    act(
                                      `${m.email} reactivated.`,
                                      () =>
                                        ok(
                                          api().POST('/v1/workspaces/{ws}/members/{memberId}/reactivate', {
                                            params: { path: { ...path, memberId: m.id } },
                                          }),
                                        ),
                                      members.reload,
                                    ),
                                }
                              : {
                                  label: 'Deactivate',
                                  onSelect: () =>
                                    act(
                                      `${m.email} deactivated.`,
                                      () =>
                                        ok(
                                          api().POST('/v1/workspaces/{ws}/members/{memberId}/deactivate', {
                                            params: { path: { ...path, memberId: m.id } },
                                          }),
                                        ),
                                      members.reload,
                                    ),
                                },
                            { label: 'Remove', onSelect: () => setOpen({ kind: 'remove', member: m }) },
                            { label: 'Grant temporary access', onSelect: () => setOpen({ kind: 'grant', member: m }) },
                            {
                              label: 'Why can\u2019t they\u2026?',
                              onSelect: () => setOpen({ kind: 'why', member: m }),
                            },
                          ]}
                        />
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
            {pending.map((i) => (
              <tr key={i.id}>
                <td>{nameOf(i.email)}</td>
                <td>{i.email}</td>
                <td>{roleName(i.roleId)}</td>
                <td>Pending</td>
                <td>
                  <RowActions
                    actions={[
                      {
                        label: 'Resend',
                        name: `Resend invitation to ${i.email}`,
                        onClick: () =>
                          act(
                            `Invitation sent again to ${i.email}.`,
                            () =>
                              ok(
                                api().POST('/v1/workspaces/{ws}/invitations/{invitationId}/resend', {
                                  params: { path: { ...path, invitationId: i.id } },
                                }),
                              ),
                            invitations.reload,
                          ),
                      },
                      {
                        label: 'Revoke',
                        name: `Revoke invitation to ${i.email}`,
                        danger: true,
                        onClick: () =>
                          act(
                            `Invitation to ${i.email} revoked.`,
                            () =>
                              ok(
                                api().DELETE('/v1/workspaces/{ws}/invitations/{invitationId}', {
                                  params: { path: { ...path, invitationId: i.id } },
                                }),
                              ),
                            invitations.reload,
                          ),
                      },
                    ]}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore hasMore={members.hasMore} onMore={members.loadMore} />
      {invitations.hasMore && (
        <button type="button" class="secondary" onClick={invitations.loadMore}>
          Load more invitations
        </button>
      )}
      {open?.kind === 'invite' && (
        <InviteDialog
          ws={ctx.ws}
          roles={assignable}
          onClose={() => setOpen(undefined)}
          onDone={closeWith(invitations.reload)}
        />
      )}
      {open?.kind === 'role' && (
        <ChangeRoleDialog
          ws={ctx.ws}
          member={open.member}
          roles={assignable}
          onClose={() => setOpen(undefined)}
          onDone={closeWith(members.reload)}
        />
      )}
      {open?.kind === 'grant' && (
        <GrantDialog ws={ctx.ws} member={open.member} onClose={() => setOpen(undefined)} onDone={closeWith()} />
      )}
      {open?.kind === 'why' && <WhyDialog ws={ctx.ws} member={open.member} onClose={() => setOpen(undefined)} />}
      {open?.kind === 'remove' && (
        <RemoveDialog
          ws={ctx.ws}
          member={open.member}
          onClose={() => setOpen(undefined)}
          onDone={closeWith(members.reload)}
        />
      )}
    </>
  );
}

function pendingMessage(res: unknown, done: string): string {
  // 202: the workspace asks for approval of this change (requireApprovalFor); the API made a request.
  return res && typeof res === 'object' && 'requestedBy' in res
    ? 'Sent for approval: an access request was made.'
    : done;
}

function InviteDialog(props: { ws: string; roles: Role[]; onClose(): void; onDone(msg: string): void }) {
  const [email, setEmail] = useState('');
  const [roleId, setRoleId] = useState(props.roles.find((r) => r.id === 'agent')?.id ?? props.roles[0]?.id ?? '');
  const [inboxIds, setInboxIds] = useState<string[]>([]);
  // Shared inboxes only: a personal inbox is its owner's and is given to nobody.
  const inboxes = useLoad(
    () =>
      ok(api().GET('/v1/workspaces/{ws}/inboxes', { params: { path: { ws: props.ws } } })).then((l) =>
        l.items.filter((i) => i.kind === 'shared').map((i) => ({ id: i.id, label: i.name })),
      ),
    [props.ws],
  );
  const submit = async () => {
    const res = await ok(
      api().POST('/v1/workspaces/{ws}/invitations', {
        params: { path: { ws: props.ws } },
        body: { email, roleId, ...(inboxIds.length ? { inboxIds } : {}) },
      }),
    );
    props.onDone(pendingMessage(res, `Invitation sent to ${email}.`));
  };
  return (
    <FormDialog
      title="Invite teammate"
      submit="Send invitation"
      onSubmit={submit}
      onClose={props.onClose}
      error={inboxes.error}
    >
      <label>
        Email
        <input type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
      <RoleSelect label="Role" roles={props.roles} value={roleId} onChange={setRoleId} />
      <CheckList
        legend="Inboxes"
        options={inboxes.data}
        value={inboxIds}
        onChange={setInboxIds}
        empty="No shared inboxes yet: create one on the Inboxes page."
      />
    </FormDialog>
  );
}

type Simulation = Schemas['MemberRoleSimulation'];

function ChangeRoleDialog(props: {
  ws: string;
  member: Member;
  roles: Role[];
  onClose(): void;
  onDone(msg: string): void;
}) {
  const choices = props.roles.filter((r) => r.id !== props.member.roleId);
  const [roleId, setRoleId] = useState(choices[0]?.id ?? '');
  const path = { ws: props.ws, memberId: props.member.id };
  const catalog = useLoad(permissionCatalog, []);
  const sim = useLoad<Simulation | undefined>(
    async () =>
      roleId
        ? ok(api().POST('/v1/workspaces/{ws}/members/{memberId}/simulate-role', { params: { path }, body: { roleId } }))
        : undefined,
    [roleId],
  );
  const save = async () => {
    const res = await ok(api().PATCH('/v1/workspaces/{ws}/members/{memberId}', { params: { path }, body: { roleId } }));
    const name = props.roles.find((r) => r.id === roleId)?.name ?? roleId;
    props.onDone(pendingMessage(res, `${props.member.email} is now ${name}.`));
  };
  return (
    <FormDialog
      title={`Change role for ${props.member.email}`}
      submit="Save"
      onSubmit={save}
      onClose={props.onClose}
      error={sim.error}
      disabled={!roleId}
      wide
    >
      <RoleSelect label="Role" roles={choices} value={roleId} onChange={setRoleId} />
      <Effect sim={sim.data} catalog={catalog.data} loading={sim.loading} />
    </FormDialog>
  );
}

function Effect({ sim, catalog, loading }: { sim?: Simulation; catalog?: Catalog; loading: boolean }) {
  const gained = sim?.changes.filter((c) => c.change === 'added' || c.change === 'widened') ?? [];
  const lost = sim?.changes.filter((c) => c.change === 'removed' || c.change === 'narrowed') ?? [];
  const scope = (v: unknown) => (typeof v === 'string' ? ` (${v})` : '');
  return (
    <section aria-labelledby="effect-title" aria-busy={loading} class="effect">
      <h3 id="effect-title">Effect of this change</h3>
      {!sim ? (
        <p>{loading ? 'Working out the effect…' : 'Choose a role.'}</p>
      ) : (
        <>
          {gained.length === 0 && lost.length === 0 && <p>No permission changes.</p>}
          {gained.length > 0 && (
            <>
              <h4>Gains</h4>
              <ul>
                {gained.map((c) => (
                  <li key={c.permission}>
                    {permissionLabel(catalog, c.permission)}
                    {scope(c.after)}
                  </li>
                ))}
              </ul>
            </>
          )}
          {lost.length > 0 && (
            <>
              <h4>Loses</h4>
              <ul>
                {lost.map((c) => (
                  <li key={c.permission}>
                    {permissionLabel(catalog, c.permission)}
                    {c.change === 'narrowed' ? ` (now ${String(c.after)})` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
          {(sim.inboxes.gain.length > 0 || sim.inboxes.lose.length > 0) && (
            <p>
              Inboxes: {sim.inboxes.gain.length} gained, {sim.inboxes.lose.length} lost.
            </p>
          )}
          {!sim.mayApply && <p class="warn">You may not make this change.</p>}
        </>
      )}
    </section>
  );
}

function GrantDialog(props: { ws: string; member: Member; onClose(): void; onDone(msg: string): void }) {
  const catalog = useLoad(permissionCatalog, []);
  const [permission, setPermission] = useState('');
  const [scope, setScope] = useState('all');
  const [hours, setHours] = useState(24);
  const [reason, setReason] = useState('');
  const def = catalog.data?.sections.flatMap((s) => s.permissions).find((p) => p.key === permission);
  const submit = async () => {
    const until = new Date(Date.now() + hours * 3_600_000).toISOString();
    const value = def?.scoped ? (scope as 'all' | 'groups' | 'assigned') : true;
    const res = await ok(
      api().POST('/v1/workspaces/{ws}/members/{memberId}/grants', {
        params: { path: { ws: props.ws, memberId: props.member.id } },
        body: { permissions: { [permission]: value }, until, reason },
      }),
    );
    props.onDone(pendingMessage(res, `${props.member.email} has ${def?.label ?? permission} for ${hours} h.`));
  };
  return (
    <FormDialog
      title={`Grant temporary access to ${props.member.email}`}
      submit="Grant"
      onSubmit={submit}
      onClose={props.onClose}
      error={catalog.error}
    >
      <PermissionSelect catalog={catalog.data} value={permission} onChange={setPermission} />
      {def?.scoped && (
        <label>
          Scope
          <select value={scope} onChange={(e) => setScope(e.currentTarget.value)}>
            <option value="assigned">Assigned</option>
            <option value="groups">Groups</option>
            <option value="all">All</option>
          </select>
        </label>
      )}
      <label>
        Hours
        <input
          type="number"
          min={1}
          max={720}
          required
          value={hours}
          onInput={(e) => setHours(Number(e.currentTarget.value))}
        />
      </label>
      <label>
        Reason
        <input required maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
    </FormDialog>
  );
}

/** A permission of the catalog, grouped by section. */
function PermissionSelect(props: { catalog: Catalog | undefined; value: string; onChange(key: string): void }) {
  return (
    <label>
      Permission
      <select required value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">Choose…</option>
        {props.catalog?.sections.map((s) => (
          <optgroup key={s.id} label={s.label}>
            {s.permissions.map((p) => (
              <option key={p.key} value={p.key}>
                {p.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}

function WhyDialog(props: { ws: string; member: Member; onClose(): void }) {
  const catalog = useLoad(permissionCatalog, []);
  const [action, setAction] = useState('');
  const [answer, setAnswer] = useState<Schemas['AuthzDecision']>();
  const ask = async () => {
    setAnswer(undefined);
    setAnswer(
      await ok(
        api().POST('/v1/workspaces/{ws}/authz/check', {
          params: { path: { ws: props.ws } },
          body: { action, memberId: props.member.id },
        }),
      ),
    );
  };
  return (
    <FormDialog
      title={`Why can\u2019t ${props.member.email}\u2026?`}
      submit="Check"
      cancel="Close"
      onSubmit={ask}
      onClose={props.onClose}
      error={catalog.error}
    >
      <PermissionSelect catalog={catalog.data} value={action} onChange={setAction} />
      <section aria-live="polite" aria-label="Answer">
        {answer && (
          <p>
            <strong>{answer.allowed ? 'Allowed.' : 'Not allowed.'}</strong> {answer.reason}
          </p>
        )}
      </section>
    </FormDialog>
  );
}

function RemoveDialog(props: { ws: string; member: Member; onClose(): void; onDone(msg: string): void }) {
  const remove = async () => {
    await ok(
      api().DELETE('/v1/workspaces/{ws}/members/{memberId}', {
        params: { path: { ws: props.ws, memberId: props.member.id } },
      }),
    );
    props.onDone(`${props.member.email} removed.`);
  };
  return (
    <FormDialog
      title={`Remove ${props.member.email}?`}
      submit="Remove"
      danger
      onSubmit={remove}
      onClose={props.onClose}
    >
      <p>They lose access to this workspace at once; their conversations are released.</p>
    </FormDialog>
  );
}
