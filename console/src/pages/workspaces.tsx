// The caller's workspaces (GET /v1/workspaces), each a link named by its name, and Create workspace.
import { useState } from 'preact/hooks';
import { api, ok } from '../api/client';
import { Alert, Dialog, Link, LoadMore } from '../components/ui';
import { usePaged } from '../hooks';
import { navigate } from '../router';

// The plans a new workspace may start on; the API refuses one it does not know, with its message.
const PLANS = [
  { id: 'basic', label: 'Basic' },
  { id: 'pro', label: 'Pro' },
  { id: 'unlimited', label: 'Unlimited' },
];

export function WorkspacesPage({ email, onSignOut }: { email: string; onSignOut(): void }) {
  const list = usePaged(
    async (cursor) => ok(api().GET('/v1/workspaces', { params: { query: cursor ? { cursor } : {} } })),
    [],
  );
  const [creating, setCreating] = useState(false);
  return (
    <>
      <header class="top">
        <span class="brand">Inbox admin</span>
        <span class="who">
          {email}{' '}
          <button type="button" class="link" onClick={onSignOut}>
            Sign out
          </button>
        </span>
      </header>
      <main class="narrow">
        <h1>Workspaces</h1>
        <Alert message={list.error} />
        {list.items && list.items.length === 0 && <p>You are not a member of any workspace yet.</p>}
        <ul class="cards">
          {list.items?.map((w) => (
            <li key={w.id}>
              <Link href={`/w/${encodeURIComponent(w.id)}/members`}>{w.name}</Link>
              <span class="muted">
                {' '}
                {w.plan} · {w.roleId}
                {w.status && w.status !== 'active' ? ` · ${w.status}` : ''}
              </span>
            </li>
          ))}
        </ul>
        <LoadMore hasMore={list.hasMore} onMore={list.loadMore} />
        <p>
          <button type="button" onClick={() => setCreating(true)}>
            Create workspace
          </button>
        </p>
        {creating && <CreateWorkspace onClose={() => setCreating(false)} />}
      </main>
    </>
  );
}

function CreateWorkspace({ onClose }: { onClose(): void }) {
  const [name, setName] = useState('');
  const [plan, setPlan] = useState('pro');
  const [error, setError] = useState<string>();
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const { workspace } = await ok(api().POST('/v1/workspaces', { body: { name, plan } }));
      onClose();
      navigate(`/w/${encodeURIComponent(workspace.id)}/members`);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Dialog title="Create workspace" onClose={onClose}>
      <form onSubmit={submit}>
        <label>
          Workspace name
          <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Plan
          <select value={plan} onChange={(e) => setPlan(e.currentTarget.value)}>
            {PLANS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <Alert message={error} />
        <div class="actions">
          <button type="submit">Create</button>
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
