// Inboxes: shared (public or private) and personal inboxes. Each row's Edit (name, visibility), Members
// (who is assigned, for shared inboxes) and Delete are offered where /me says the caller configures that
// kind of inbox, or it is their own personal inbox; a refusal is shown with the API's message.
import { useState } from 'preact/hooks';
import { api, ok, type Schemas } from '../api/client';
import { Alert, CheckList, DeleteDialog, FormDialog, RowActions, Status } from '../components/ui';
import { useActions, useLoad } from '../hooks';
import type { PageProps } from '../router';
import { useWorkspace } from '../workspace';
import { pickableMembers } from './teams';

type Inbox = Schemas['Inbox'];
type Visibility = 'public' | 'private';
type Open = { kind: 'edit' | 'members' | 'delete'; inbox: Inbox } | undefined;

export function InboxesPage(_: PageProps) {
  const ctx = useWorkspace();
  const path = { ws: ctx.ws };
  const inboxes = useLoad(() => ok(api().GET('/v1/workspaces/{ws}/inboxes', { params: { path } })), [ctx.ws]);
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [kind, setKind] = useState<'shared' | 'personal'>('shared');
  const { error, status, setStatus, act } = useActions();
  const [open, setOpen] = useState<Open>();
  const configures = (i: Inbox) =>
    i.kind === 'personal'
      ? i.ownerMemberId === ctx.me.member.id
      : ctx.can(i.visibility === 'public' ? 'inboxes.public.configure' : 'inboxes.private.configure');
  const mayAssign = ctx.can('inboxes.public.configure');
  const done = (msg: string) => {
    setOpen(undefined);
    setStatus(msg);
    inboxes.reload();
  };
  const create = (e: Event) => {
    e.preventDefault();
    act(
      `Inbox ${name} created.`,
      async () => {
        await ok(api().POST('/v1/workspaces/{ws}/inboxes', { params: { path }, body: { name, visibility, kind } }));
        setName('');
      },
      inboxes.reload,
    );
  };
  const anyActions = inboxes.data?.items.some(configures) ?? false;
  return (
    <>
      <h1>Inboxes</h1>
      <Alert message={error ?? inboxes.error} />
      <Status message={status} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Inbox</th>
              <th scope="col">Visibility</th>
              <th scope="col">Kind</th>
              {anyActions && (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {inboxes.data?.items.map((i) => (
              <tr key={i.id}>
                <td>{i.name}</td>
                <td>{i.visibility === 'public' ? 'Public' : 'Private'}</td>
                <td>{i.kind === 'shared' ? 'Shared' : 'Personal'}</td>
                {anyActions && (
                  <td>
                    {configures(i) && (
                      <RowActions
                        actions={[
                          {
                            label: 'Edit',
                            name: `Edit inbox ${i.name}`,
                            onClick: () => setOpen({ kind: 'edit', inbox: i }),
                          },
                          ...(i.kind === 'shared' && mayAssign
                            ? [
                                {
                                  label: 'Members',
                                  name: `Members of inbox ${i.name}`,
                                  onClick: () => setOpen({ kind: 'members' as const, inbox: i }),
                                },
                              ]
                            : []),
                          {
                            label: 'Delete',
                            name: `Delete inbox ${i.name}`,
                            danger: true,
                            onClick: () => setOpen({ kind: 'delete', inbox: i }),
                          },
                        ]}
                      />
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="inline" onSubmit={create}>
        <label>
          Inbox name
          <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <VisibilitySelect value={visibility} onChange={setVisibility} />
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as 'shared' | 'personal')}>
            <option value="shared">Shared</option>
            <option value="personal">Personal</option>
          </select>
        </label>
        <button type="submit">Create inbox</button>
      </form>
      {open?.kind === 'edit' && (
        <EditInboxDialog ws={ctx.ws} inbox={open.inbox} onClose={() => setOpen(undefined)} onDone={done} />
      )}
      {open?.kind === 'members' && (
        <InboxMembersDialog ws={ctx.ws} inbox={open.inbox} onClose={() => setOpen(undefined)} onDone={done} />
      )}
      {open?.kind === 'delete' && (
        <DeleteDialog
          what="inbox"
          name={open.inbox.name}
          onClose={() => setOpen(undefined)}
          onDelete={async () => {
            await ok(
              api().DELETE('/v1/workspaces/{ws}/inboxes/{inboxId}', {
                params: { path: { ...path, inboxId: open.inbox.id } },
              }),
            );
            done(`Inbox ${open.inbox.name} deleted.`);
          }}
        >
          <p>Members, teams and invitations lose this inbox.</p>
        </DeleteDialog>
      )}
    </>
  );
}

function VisibilitySelect({ value, onChange }: { value: Visibility; onChange(v: Visibility): void }) {
  return (
    <label>
      Visibility
      <select value={value} onChange={(e) => onChange(e.currentTarget.value as Visibility)}>
        <option value="public">Public</option>
        <option value="private">Private</option>
      </select>
    </label>
  );
}

function EditInboxDialog(props: { ws: string; inbox: Inbox; onClose(): void; onDone(msg: string): void }) {
  const { inbox } = props;
  const [name, setName] = useState(inbox.name);
  const [visibility, setVisibility] = useState<Visibility>(inbox.visibility);
  return (
    <FormDialog
      title={`Edit inbox ${inbox.name}`}
      submit="Save inbox"
      onClose={props.onClose}
      onSubmit={async () => {
        const body = {
          ...(name !== inbox.name ? { name } : {}),
          ...(visibility !== inbox.visibility ? { visibility } : {}),
        };
        if (Object.keys(body).length === 0) return props.onClose();
        await ok(
          api().PATCH('/v1/workspaces/{ws}/inboxes/{inboxId}', {
            params: { path: { ws: props.ws, inboxId: inbox.id } },
            body,
          }),
        );
        props.onDone(`Inbox ${name} saved.`);
      }}
    >
      <label>
        Inbox name
        <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      {inbox.kind === 'shared' && <VisibilitySelect value={visibility} onChange={setVisibility} />}
      {inbox.kind === 'shared' && visibility !== inbox.visibility && visibility === 'private' && (
        <p class="muted">
          Made private, only its assigned members and teams (and roles with access to private inboxes) reach it;
          conversations assigned to others there are unassigned.
        </p>
      )}
    </FormDialog>
  );
}

/**
 * Who is assigned the inbox directly. The API sets one member's inboxes per call (no call sets an inbox's
 * members at once), so a save is one guarded change per changed member, not all-or-nothing: each is tried,
 * the dialog then says which were saved and which were refused (with the API's message), and reads the
 * members again so the checkboxes show what the API now holds.
 */
function InboxMembersDialog(props: { ws: string; inbox: Inbox; onClose(): void; onDone(msg: string): void }) {
  const { inbox } = props;
  const members = useLoad(() => pickableMembers(props.ws), [props.ws]);
  const [chosen, setChosen] = useState<string[]>();
  const before = members.data?.filter((m) => m.inboxIds.includes(inbox.id)).map((m) => m.id) ?? [];
  const value = chosen ?? before;
  const save = async () => {
    const changed = (members.data ?? []).filter((m) => value.includes(m.id) !== before.includes(m.id));
    const saved: string[] = [];
    const refused: string[] = [];
    for (const m of changed) {
      const adding = value.includes(m.id);
      const what = `${m.label} ${adding ? 'added' : 'removed'}`;
      try {
        // The PUT sets the member's whole list: start from what the API holds now, not from when the dialog
        // opened, so an inbox someone gave them meanwhile is kept.
        const now = await ok(
          api().GET('/v1/workspaces/{ws}/members/{memberId}', {
            params: { path: { ws: props.ws, memberId: m.id } },
          }),
        );
        const others = now.inboxIds.filter((x) => x !== inbox.id);
        const inboxIds = adding ? [...others, inbox.id] : others;
        await ok(
          api().PUT('/v1/workspaces/{ws}/members/{memberId}/inboxes', {
            params: { path: { ws: props.ws, memberId: m.id } },
            body: { inboxIds },
          }),
        );
        saved.push(what);
      } catch (err) {
        refused.push(`${what}: ${(err as Error).message}`);
      }
    }
    if (refused.length === 0) return props.onDone(`Members of inbox ${inbox.name} saved.`);
    // What the API holds now: the list is read again and the unsaved choices are dropped.
    setChosen(undefined);
    members.reload();
    throw new Error(
      `${saved.length ? `Saved: ${saved.join('; ')}. ` : 'Nothing was saved. '}Not saved: ${refused.join('; ')}. ` +
        'The list shows the members as they are now.',
    );
  };
  return (
    <FormDialog
      title={`Members of inbox ${inbox.name}`}
      submit="Save members"
      onSubmit={save}
      onClose={props.onClose}
      error={members.error}
      disabled={!members.data}
    >
      <CheckList
        legend="Assigned members"
        options={members.data}
        value={value}
        onChange={setChosen}
        empty="No members yet."
      />
    </FormDialog>
  );
}
