// Teams: groups of teammates and the inboxes they work (the "Groups" scope of a permission).
import { useState } from 'preact/hooks';
import { api, ok } from '../api/client';
import { Alert, LoadMore, Status } from '../components/ui';
import { usePaged } from '../hooks';
import { useWorkspace } from '../workspace';
import type { PageProps } from '.';

export function TeamsPage(_: PageProps) {
  const ctx = useWorkspace();
  const path = { ws: ctx.ws };
  const teams = usePaged(
    (cursor) => ok(api().GET('/v1/workspaces/{ws}/teams', { params: { path, query: cursor ? { cursor } : {} } })),
    [ctx.ws],
  );
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const mayManage = ctx.can('teammates.manage');
  const run = async (msg: string, p: Promise<unknown>) => {
    setError(undefined);
    try {
      await p;
      setStatus(msg);
      teams.reload();
    } catch (err) {
      setError((err as Error).message);
    }
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
                <td>{t.name}</td>
                <td>{t.memberIds.length}</td>
                <td>{t.inboxIds.length}</td>
                {mayManage && (
                  <td>
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Delete team ${t.name}`}
                      onClick={() =>
                        run(
                          `Team ${t.name} deleted.`,
                          ok(
                            api().DELETE('/v1/workspaces/{ws}/teams/{teamId}', {
                              params: { path: { ...path, teamId: t.id } },
                            }),
                          ),
                        )
                      }
                    >
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore hasMore={teams.hasMore} onMore={teams.loadMore} />
      {mayManage && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            run(
              `Team ${name} created.`,
              ok(api().POST('/v1/workspaces/{ws}/teams', { params: { path }, body: { name } })),
            );
            setName('');
          }}
        >
          <label>
            Team name
            <input required maxLength={60} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <button type="submit">Create team</button>
        </form>
      )}
    </>
  );
}
