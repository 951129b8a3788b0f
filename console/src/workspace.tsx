// What every workspace page knows: the caller's /me (effective permissions and plan) and the workspace,
// fetched once per workspace and shared by its pages. What is offered comes from here, never from a
// rule of the console's own.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { api, ok, type Schemas } from './api/client';

export type Me = Schemas['Me'];
export type Workspace = Schemas['Workspace'];
export type Catalog = Schemas['PermissionCatalog'];

export interface WorkspaceContext {
  ws: string;
  me: Me;
  workspace: Workspace;
  /** The caller holds this permission (any scope) as /me reports it. */
  can(permission: string): boolean;
  /** The workspace's plan has this feature. */
  has(feature: string): boolean;
  refresh(): void;
}

export const WorkspaceCtx = createContext<WorkspaceContext | undefined>(undefined);

export function useWorkspace(): WorkspaceContext {
  const c = useContext(WorkspaceCtx);
  if (!c) throw new Error('useWorkspace outside a workspace page');
  return c;
}

export async function loadWorkspace(ws: string): Promise<{ me: Me; workspace: Workspace }> {
  const params = { params: { path: { ws } } };
  const [me, workspace] = await Promise.all([
    ok(api().GET('/v1/workspaces/{ws}/me', params)),
    ok(api().GET('/v1/workspaces/{ws}', params)),
  ]);
  return { me, workspace };
}

let catalog: Promise<Catalog> | undefined;
/** The permission catalog (labels, sections, scopes): the same for everyone, fetched once. */
export function permissionCatalog(): Promise<Catalog> {
  catalog ??= ok(api().GET('/v1/permissions')).catch((err) => {
    catalog = undefined;
    throw err;
  });
  return catalog;
}

export function permissionLabel(c: Catalog | undefined, key: string): string {
  for (const s of c?.sections ?? []) for (const p of s.permissions) if (p.key === key) return `${s.label}: ${p.label}`;
  return key;
}
