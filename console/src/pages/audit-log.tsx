// Audit log: who did what to whom, newest first, with Export CSV where the plan has it.
import { useState } from 'preact/hooks';
import { api, ok } from '../api/client';
import { session } from '../auth/session';
import { Alert, LoadMore } from '../components/ui';
import { config } from '../config';
import { usePaged } from '../hooks';
import type { PageProps } from '../router';
import { useWorkspace } from '../workspace';

export function AuditLogPage(_: PageProps) {
  const ctx = useWorkspace();
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<string>();
  const log = usePaged(
    (cursor) =>
      ok(
        api().GET('/v1/workspaces/{ws}/audit-log', {
          params: { path: { ws: ctx.ws }, query: cursor ? { cursor } : {} },
        }),
      ),
    [ctx.ws],
  );
  const shown = (log.items ?? []).filter(
    (e) => !filter || `${e.action} ${e.target.type} ${e.target.id} ${e.actor.userId ?? ''}`.includes(filter),
  );
  // A link cannot carry the bearer token: fetch the file and hand it to the browser as a download.
  const exportCsv = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const res = await fetch(
      `${config().apiBase}/v1/workspaces/${encodeURIComponent(ctx.ws)}/audit-log/export?format=csv`,
      {
        headers: { authorization: `Bearer ${session()?.token ?? ''}` },
      },
    );
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
      setError(body.error?.message ?? `Export failed (HTTP ${res.status})`);
      return;
    }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await res.blob());
    a.download = `audit-log-${ctx.ws}.csv`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  return (
    <>
      <div class="page-head">
        <h1>Audit log</h1>
        {ctx.has('auditExport') ? (
          // biome-ignore lint/a11y/useValidAnchor: a link, as CONSOLE.md names it; a plain href cannot carry the bearer token
          <a href="#export" onClick={exportCsv}>
            Export CSV
          </a>
        ) : (
          <span class="muted">CSV export is not part of the {ctx.me.plan.id} plan.</span>
        )}
      </div>
      <label>
        Filter
        <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </label>
      <Alert message={error ?? log.error} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{e.actor.userId ?? e.actor.source}</td>
                <td>{e.action}</td>
                <td>
                  {e.target.type} {e.target.id}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore hasMore={log.hasMore} onMore={log.loadMore} />
    </>
  );
}
