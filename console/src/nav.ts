// The workspace pages and what /me must show for each to be offered. Each requirement is the one the
// API's route table puts on the page's list route (shared/routes.ts); test/unit/console-nav.test.ts
// keeps the two the same.
export interface PageDef {
  slug: string;
  label: string;
  /** The list route the page reads; its permission and feature decide whether the link is shown. */
  route: { method: 'GET' | 'PATCH'; path: string };
  permission?: string;
}

export const PAGES: PageDef[] = [
  { slug: 'members', label: 'Members', route: { method: 'GET', path: '/v1/workspaces/{ws}/members' } },
  { slug: 'roles', label: 'Roles', route: { method: 'GET', path: '/v1/workspaces/{ws}/roles' } },
  { slug: 'teams', label: 'Teams', route: { method: 'GET', path: '/v1/workspaces/{ws}/teams' } },
  { slug: 'inboxes', label: 'Inboxes', route: { method: 'GET', path: '/v1/workspaces/{ws}/inboxes' } },
  {
    slug: 'billing',
    label: 'Billing',
    route: { method: 'GET', path: '/v1/workspaces/{ws}/billing/seats' },
    permission: 'billing.manage',
  },
  {
    slug: 'audit-log',
    label: 'Audit log',
    route: { method: 'GET', path: '/v1/workspaces/{ws}/audit-log' },
    permission: 'logs.export',
  },
  {
    slug: 'access-requests',
    label: 'Access requests',
    route: { method: 'GET', path: '/v1/workspaces/{ws}/access-requests' },
  },
  {
    slug: 'api-keys',
    label: 'API keys',
    route: { method: 'GET', path: '/v1/workspaces/{ws}/api-keys' },
    permission: 'apiKeys.manage',
  },
  {
    slug: 'settings',
    label: 'Settings',
    route: { method: 'PATCH', path: '/v1/workspaces/{ws}' },
    permission: 'workspace.settings.manage',
  },
];
