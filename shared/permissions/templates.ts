// Role templates: starting points for custom roles (clone, then edit), never assignable themselves.
// Each permission set is our reading of the seed it comes from (../shared/seeds), in PRODUCT.md terms.
import { PERMISSION_KEYS, type Permission, type PermissionSet, type Scope } from './catalog';
import type { RoleDefinition } from './roles';

const scoped = (scope: Scope, perms: Permission[]): PermissionSet => Object.fromEntries(perms.map((p) => [p, scope]));
const flags = (perms: Permission[]): PermissionSet => Object.fromEntries(perms.map((p) => [p, true]));

const TALK: Permission[] = ['messages.view', 'messages.send', 'comments.send'];
const HANDLE: Permission[] = [...TALK, 'conversations.assign', 'conversations.archive', 'conversations.move'];

function template(id: string, name: string, description: string, permissions: PermissionSet): RoleDefinition {
  return { id: `tpl_${id}`, name, description, kind: 'template', permissions: Object.freeze(permissions) };
}

// HelpCrunch Supervisor: everything except billing/plan and managing administrators. Without
// billing.manage it can never grant the Admin role, which is how "cannot invite/manage admins" holds.
const SUPERVISOR_EXCLUDED = new Set<Permission>(['billing.manage', 'apiKeys.manage', 'messages.delete']);
const supervisorPermissions: PermissionSet = Object.fromEntries(
  PERMISSION_KEYS.filter((k) => !SUPERVISOR_EXCLUDED.has(k)).map((k) => [k, true]),
);
for (const p of [...HANDLE, 'conversations.delete'] as const) supervisorPermissions[p] = 'all';

export const TEMPLATES: readonly RoleDefinition[] = [
  template(
    'supervisor',
    'Supervisor',
    'HelpCrunch: full access except billing, the plan and managing administrators.',
    supervisorPermissions,
  ),
  template('support', 'Support', 'HelpCrunch: inbox without deleting chats; contacts without export or delete.', {
    ...scoped('all', HANDLE),
    ...flags(['contacts.update', 'contacts.block', 'tags.apply', 'optOuts.view', 'scheduledMessages.manage']),
  }),
  template('support_manager', 'Support Manager', 'Freshchat: a support agent who also runs campaigns and FAQs.', {
    ...scoped('all', HANDLE),
    ...flags([
      'contacts.update',
      'contacts.block',
      'tags.apply',
      'optOuts.view',
      'scheduledMessages.manage',
      'campaigns.manage',
      'faqs.manage',
    ]),
  }),
  template('marketing_user', 'Marketing User', 'Freshchat: reads conversations, works contacts and campaigns.', {
    ...scoped('all', ['messages.view', 'comments.send']),
    ...flags(['contacts.update', 'tags.apply', 'campaigns.manage', 'optOuts.view']),
  }),
  template(
    'marketing_manager',
    'Marketing Manager',
    'Freshchat: marketing user plus exports, sequences, shared content and reports.',
    {
      ...scoped('all', ['messages.view', 'messages.send', 'comments.send']),
      ...flags([
        'contacts.update',
        'contacts.export',
        'tags.apply',
        'tags.shared.manage',
        'templates.shared.manage',
        'campaigns.manage',
        'sequences.access',
        'optOuts.view',
        'analytics.view',
        'reports.manage',
      ]),
    },
  ),
  template('sales_user', 'Sales User', "Freshchat: works conversations in their groups' inboxes.", {
    ...scoped('groups', [
      'messages.view',
      'messages.send',
      'comments.send',
      'conversations.assign',
      'conversations.archive',
    ]),
    ...flags(['contacts.update', 'tags.apply', 'sequences.access', 'scheduledMessages.manage', 'optOuts.view']),
  }),
  template(
    'sales_manager',
    'Sales Manager',
    'Freshchat: sales user across all inboxes, with exports, reports and invitations.',
    {
      ...scoped('all', HANDLE),
      ...flags([
        'contacts.update',
        'contacts.export',
        'tags.apply',
        'sequences.access',
        'scheduledMessages.manage',
        'optOuts.view',
        'analytics.view',
        'reports.manage',
        'teammates.invite',
      ]),
    },
  ),
  template('restricted_user', 'Restricted User', 'Freshchat: only conversations assigned to them.', {
    ...scoped('assigned', ['messages.view', 'messages.send', 'comments.send', 'conversations.archive']),
    ...flags(['contacts.update', 'tags.apply', 'optOuts.view']),
  }),
  template('standard_access', 'Standard access', 'Front: works every shared conversation; no administration.', {
    ...scoped('all', [...HANDLE, 'conversations.delete']),
    ...flags([
      'scheduledMessages.manage',
      'contacts.update',
      'contacts.block',
      'tags.apply',
      'optOuts.view',
      'sequences.access',
    ]),
  }),
];

export const TEMPLATE_BY_ID: ReadonlyMap<string, RoleDefinition> = new Map(TEMPLATES.map((t) => [t.id, t]));
