// Every workspace page: the workspace's name, the nav named "Workspace" with the pages /me allows, one h1
// per page (the page's own), errors in role=alert.
import { useEffect, useState } from 'preact/hooks';
import { setSession, useSession } from '../auth/session';
import { useLoad } from '../hooks';
import { PAGES } from '../nav';
import { PAGE_COMPONENTS, PAGE_PREFETCH } from '../pages';
import { loadWorkspace, type WorkspaceContext, WorkspaceCtx } from '../workspace';
import { Alert, Link } from './ui';

export function WorkspaceLayout(props: { ws: string; slug: string; rest: string; query: URLSearchParams }) {
  const session = useSession();
  useState(() => PAGE_PREFETCH[props.slug]?.(props.ws));
  const loaded = useLoad(() => loadWorkspace(props.ws), [props.ws]);
  const page = PAGES.find((p) => p.slug === props.slug);
  useEffect(() => {
    document.title = `${page?.label ?? 'Not found'} · ${loaded.data?.workspace.name ?? 'Workspace'}`;
  }, [page, loaded.data]);

  if (!loaded.data) {
    return (
      <main>
        <h1>{page?.label ?? 'Workspace'}</h1>
        {loaded.error ? <Alert message={loaded.error} /> : <p aria-busy="true">Loading…</p>}
        <p>
          <Link href="/">All workspaces</Link>
        </p>
      </main>
    );
  }
  const { me, workspace } = loaded.data;
  const ctx: WorkspaceContext = {
    ws: props.ws,
    me,
    workspace,
    can: (permission) => permission in me.permissions,
    has: (feature) => me.plan.features.includes(feature),
    refresh: loaded.reload,
  };
  const allowed = PAGES.filter((p) => !p.permission || ctx.can(p.permission));
  const Page = page && allowed.includes(page) ? PAGE_COMPONENTS[page.slug] : undefined;
  const base = `/w/${encodeURIComponent(props.ws)}`;
  return (
    <WorkspaceCtx.Provider value={ctx}>
      <header class="top">
        <Link href="/" class="brand">
          Inbox admin
        </Link>
        <span class="ws-name">{workspace.name}</span>
        <span class="who">
          {session?.email}{' '}
          <button type="button" class="link" onClick={() => setSession(undefined)}>
            Sign out
          </button>
        </span>
      </header>
      <div class="shell">
        <nav aria-label="Workspace">
          <ul>
            {allowed.map((p) => (
              <li key={p.slug}>
                <Link href={`${base}/${p.slug}`} aria-current={p === page ? 'page' : undefined}>
                  {p.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main>
          {Page ? (
            <Page rest={props.rest} query={props.query} />
          ) : (
            <>
              <h1>{page ? page.label : 'Not found'}</h1>
              <Alert message={page ? `Your role does not give access to ${page.label}.` : 'There is no such page.'} />
            </>
          )}
        </main>
      </div>
    </WorkspaceCtx.Provider>
  );
}
