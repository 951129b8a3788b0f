// Teams: groups of teammates and the inboxes they work (the "Groups" scope of a permission). Made with a
// name, then Edit team sets its members and inboxes (a team's inboxes are reach for its members: the API
// checks the caller may configure each inbox added or taken away).
import { useState } from 'preact/hooks';
import { api, ok, type Schemas } from '../api/client';
import { Alert, CheckList, DeleteDialog, FormDialog, LoadMore, RowActions, Status } from '../components/ui';
import { useActions, useLoad, usePaged } from '../hooks';
import type { PageProps } from '../router';
import { useWorkspace } from '../workspace';

type Team = Schemas['Team'];

/**
 * Every member of the workspace for a picker, page after page (?cursor=): a picker that showed only the
 * first page would leave the rest unchoosable and read them as "not chosen".
 */
export async function pickableMembers(ws: string) {
  const all: Schemas['Member'][] = [];
  let cursor: string | undefined;
  do {
    const page = await ok(
      api().GET('/v1/workspaces/{ws}/members', {
        params: { path: { ws }, query: { limit: 100, ...(cursor ? { cursor } : {}) } },
      }),
    );
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all.map((m) => ({
    id: m.id,
    label: m.status === 'deactivated' ? `${m.email} (deactivated)` : m.email,
    inboxIds: m.inboxIds,
  }));
}

export function TeamsPage(_: PageProps) {
  const ctx = useWorkspace();
  const path = { ws: ctx.ws };
  const teams = usePaged(
    (cursor) => ok(api().GET('/v1/workspaces/{ws}/teams', { params: { path, query: cursor ? { cursor } : {} } })),
    [ctx.ws],
  );
  const [name, setName] = useState('');
  const { error, status, setStatus, act } = useActions();
  const [open, setOpen] = useState<{ kind: 'edit' | 'delete'; team: Team }>();
  const mayManage = ctx.can('teammates.manage');
  const done = (msg: string) => {
    setOpen(undefined);
    setStatus(msg);
    teams.reload();
  };
  const create = (e: Event) => {
    e.preventDefault();
    act(
      (team) => `Team ${team.name} created: choose its members and inboxes.`,
      async () => {
        const team = await ok(api().POST('/v1/workspaces/{ws}/teams', { params: { path }, body: { name } }));
        setName('');
        // Straight on to who is in it and what it works.
        setOpen({ kind: 'edit', team });
        return team;
      },
      teams.reload,
    );
  };
  return (
    <>
      <h1>Teams</h1>
      <Alert message={error ?? teams.error} />
      <Status message={status} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Members</th>
              <th scope="col">Inboxes</th>
              {mayManage && (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {teams.items?.map((t) => (
              <tr key={t.id}>
                <td>
                  {t.name}
                  {t.managedBy === 'scim' && <span class="muted"> (SCIM)</span>}
                </td>
                <td>{t.memberIds.length}</td>
                <td>{t.inboxIds.length}</td>
                {mayManage && (
                  <td>
                    <RowActions
                      actions={[
                        {
                          label: 'Edit',
                          name: `Edit team ${t.name}`,
                          onClick: () => setOpen({ kind: 'edit', team: t }),
                        },
                        ...(t.managedBy === 'scim'
                          ? []
                          : [
                              {
                                label: 'Delete',
                                name: `Delete team ${t.name}`,
                                danger: true,
                                onClick: () => setOpen({ kind: 'delete' as const, team: t }),
                              },
                            ]),
                      ]}
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore hasMore={teams.hasMore} onMore={teams.loadMore} />
      {mayManage && (
        <form class="inline" onSubmit={create}>
          <label>
            Team name
            <input required maxLength={60} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <button type="submit">Create team</button>
        </form>
      )}
      {open?.kind === 'edit' && (
        <EditTeamDialog ws={ctx.ws} team={open.team} onClose={() => setOpen(undefined)} onDone={done} />
      )}
      {open?.kind === 'delete' && (
        <DeleteDialog
          what="team"
          name={open.team.name}
          onClose={() => setOpen(undefined)}
          onDelete={async () => {
            await ok(
              api().DELETE('/v1/workspaces/{ws}/teams/{teamId}', {
                params: { path: { ...path, teamId: open.team.id } },
              }),
            );
            done(`Team ${open.team.name} deleted.`);
          }}
        >
          <p>
            Its {open.team.memberIds.length} members lose the reach of its {open.team.inboxIds.length} inboxes;
            conversations assigned to them there that they can no longer work in are unassigned.
          </p>
        </DeleteDialog>
      )}
    </>
  );
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

function EditTeamDialog(props: { ws: string; team: Team; onClose(): void; onDone(msg: string): void }) {
  const { team } = props;
  const [name, setName] = useState(team.name);
  const [memberIds, setMemberIds] = useState<string[]>(team.memberIds);
  const [inboxIds, setInboxIds] = useState<string[]>(team.inboxIds);
  const members = useLoad(() => pickableMembers(props.ws), [props.ws]);
  const inboxes = useLoad(
    () =>
      ok(api().GET('/v1/workspaces/{ws}/inboxes', { params: { path: { ws: props.ws } } })).then((l) =>
        l.items.filter((i) => i.kind === 'shared').map((i) => ({ id: i.id, label: i.name })),
      ),
    [props.ws],
  );
  const scim = team.managedBy === 'scim' ? 'Managed by your identity provider (SCIM): change it there.' : undefined;
  const save = async () => {
    const body = {
      ...(name !== team.name ? { name } : {}),
      ...(sameSet(memberIds, team.memberIds) ? {} : { memberIds }),
      ...(sameSet(inboxIds, team.inboxIds) ? {} : { inboxIds }),
    };
    if (Object.keys(body).length === 0) return props.onClose();
    await ok(
      api().PATCH('/v1/workspaces/{ws}/teams/{teamId}', {
        params: { path: { ws: props.ws, teamId: team.id } },
        body: { ...body, version: team.version },
      }),
    );
    props.onDone(`Team ${name} saved.`);
  };
  return (
    <FormDialog
      title={`Edit team ${team.name}`}
      submit="Save team"
      onSubmit={save}
      onClose={props.onClose}
      error={members.error ?? inboxes.error}
      wide
    >
      <label>
        Team name
        <input
          required
          maxLength={60}
          value={name}
          disabled={Boolean(scim)}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </label>
      <CheckList
        legend="Members"
        options={members.data}
        value={memberIds}
        onChange={setMemberIds}
        disabledReason={scim}
        empty="No members yet."
      />
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
