// Inboxes: shared (public or private) and personal inboxes. Who may create which is the API's to say: the
// form is offered to everyone and a refusal is shown with its message.
import { useState } from 'preact/hooks';
import { api, ok } from '../api/client';
import { Alert, Status } from '../components/ui';
import { useLoad } from '../hooks';
import { useWorkspace } from '../workspace';
import type { PageProps } from '.';

export function InboxesPage(_: PageProps) {
  const ctx = useWorkspace();
  const path = { ws: ctx.ws };
  const inboxes = useLoad(() => ok(api().GET('/v1/workspaces/{ws}/inboxes', { params: { path } })), [ctx.ws]);
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'private'>('public');
  const [kind, setKind] = useState<'shared' | 'personal'>('shared');
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const create = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await ok(api().POST('/v1/workspaces/{ws}/inboxes', { params: { path }, body: { name, visibility, kind } }));
      setStatus(`Inbox ${name} created.`);
      setName('');
      inboxes.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
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
            </tr>
          </thead>
          <tbody>
            {inboxes.data?.items.map((i) => (
              <tr key={i.id}>
                <td>{i.name}</td>
                <td>{i.visibility === 'public' ? 'Public' : 'Private'}</td>
                <td>{i.kind === 'shared' ? 'Shared' : 'Personal'}</td>
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
        <label>
          Visibility
          <select value={visibility} onChange={(e) => setVisibility(e.currentTarget.value as 'public' | 'private')}>
            <option value="public">Public</option>
            <option value="private">Private</option>
          </select>
        </label>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as 'shared' | 'personal')}>
            <option value="shared">Shared</option>
            <option value="personal">Personal</option>
          </select>
        </label>
        <button type="submit">Create inbox</button>
      </form>
    </>
  );
}
