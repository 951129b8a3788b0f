// One module per workspace page (console/src/pages/<page>.tsx); add a page here and in ../nav.ts.
import type { FunctionComponent } from 'preact';
import type { PageProps } from '../router';
import { AccessRequestsPage } from './access-requests';
import { ApiKeysPage } from './api-keys';
import { AuditLogPage } from './audit-log';
import { BillingPage } from './billing';
import { InboxesPage } from './inboxes';
import { MembersPage, prefetchMembers } from './members';
import { RolesPage } from './roles';
import { SettingsPage } from './settings';
import { TeamsPage } from './teams';

export const PAGE_COMPONENTS: Record<string, FunctionComponent<PageProps>> = {
  members: MembersPage,
  roles: RolesPage,
  teams: TeamsPage,
  inboxes: InboxesPage,
  billing: BillingPage,
  'audit-log': AuditLogPage,
  'access-requests': AccessRequestsPage,
  'api-keys': ApiKeysPage,
  settings: SettingsPage,
};

/** A page's first reads that need nothing from /me, started by the layout at the same time as /me. */
export const PAGE_PREFETCH: Record<string, (ws: string) => void> = {
  members: prefetchMembers,
};
