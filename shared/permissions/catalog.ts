// The permission catalog (PRODUCT.md §3). Plain data, no dependencies: the authorizer bundles it.

export const SCOPES = ['assigned', 'groups', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

/** `all` ⊇ `groups` ⊇ `assigned`. */
export const SCOPE_RANK: Readonly<Record<Scope, number>> = { assigned: 1, groups: 2, all: 3 };

export type PermissionKind = 'administrative' | 'work';

export interface PermissionDef<K extends string = string> {
  readonly key: K;
  readonly section: SectionId;
  readonly label: string;
  /** Carries a conversation scope (`all` / `groups` / `assigned`). */
  readonly scoped: boolean;
  /** Administrative permissions must be held to be granted; work ones within the actor's scope. */
  readonly kind: PermissionKind;
  readonly dangerous?: string;
}

export const SECTIONS = [
  { id: 'workspace', label: 'Workspace' },
  { id: 'teammates', label: 'Teammates' },
  { id: 'inboxes', label: 'Inboxes' },
  { id: 'conversations', label: 'Conversations' },
  { id: 'contacts', label: 'Contacts' },
  { id: 'content', label: 'Content' },
  { id: 'analytics', label: 'Analytics' },
  { id: 'presence', label: 'Presence' },
] as const;
export type SectionId = (typeof SECTIONS)[number]['id'];

const BRINGS_ADMINS =
  'Can bring in teammates with powerful roles. Only granted within what the granter holds (no escalation).';

// Generic over the key literal, so `Permission` below is the union of the catalog's keys, not `string`.
function admin<const K extends string>(
  key: K,
  section: SectionId,
  label: string,
  dangerous?: string,
): PermissionDef<K> {
  return { key, section, label, scoped: false, kind: 'administrative', ...(dangerous ? { dangerous } : {}) };
}
function work<const K extends string>(key: K, section: SectionId, label: string, scoped: boolean): PermissionDef<K> {
  return { key, section, label, scoped, kind: 'work' };
}

export const PERMISSIONS = [
  admin('billing.manage', 'workspace', 'Manage billing and plan'),
  admin('workspace.settings.manage', 'workspace', 'Manage workspace settings'),
  admin('featureFlags.manage', 'workspace', 'Manage feature flags'),
  admin('apiKeys.manage', 'workspace', 'Create and revoke API keys'),
  admin('integrations.manage', 'workspace', 'Manage integrations (webhooks, email domains, security)'),
  admin('teammates.invite', 'teammates', 'Invite teammates (add only)', BRINGS_ADMINS),
  admin('teammates.manage', 'teammates', 'Remove teammates and change roles', BRINGS_ADMINS),
  admin(
    'roles.manage',
    'teammates',
    'Create, edit and delete custom roles',
    'Can edit roles, including the one the holder has. Edits are limited to what the editor holds.',
  ),
  admin('inboxes.public.configure', 'inboxes', 'Configure public inboxes'),
  admin('inboxes.private.configure', 'inboxes', 'Configure private inboxes'),
  admin('inboxes.private.access', 'inboxes', 'See and work in every private inbox'),
  work('messages.view', 'conversations', 'View messages', true),
  work('messages.send', 'conversations', 'Send messages', true),
  work('comments.send', 'conversations', 'Write internal comments', true),
  work('conversations.assign', 'conversations', 'Assign conversations', true),
  work('conversations.archive', 'conversations', 'Archive conversations', true),
  work('conversations.move', 'conversations', 'Move conversations between inboxes', true),
  work('conversations.delete', 'conversations', 'Delete conversations or mark them as spam', true),
  admin('messages.delete', 'conversations', 'Delete single messages permanently'),
  work('scheduledMessages.manage', 'conversations', 'Manage scheduled messages', false),
  work('contacts.update', 'contacts', 'Create and update contacts', false),
  admin('contacts.export', 'contacts', 'Export contacts'),
  admin('contacts.delete', 'contacts', 'Delete contacts'),
  work('contacts.block', 'contacts', 'Block contacts', false),
  admin('attributes.manage', 'contacts', 'Manage contact attributes'),
  work('optOuts.view', 'contacts', 'View opt-outs', false),
  admin('optOuts.manage', 'contacts', 'Manage opt-outs'),
  admin('restrictedWords.manage', 'contacts', 'Manage restricted words'),
  admin('tags.shared.manage', 'content', 'Manage shared tags'),
  work('tags.apply', 'content', 'Apply tags', false),
  admin('views.shared.manage', 'content', 'Manage shared views'),
  admin('templates.shared.manage', 'content', 'Manage shared templates'),
  admin('signatures.shared.manage', 'content', 'Manage shared signatures'),
  admin('rules.manage', 'content', 'Manage rules'),
  admin('campaigns.manage', 'content', 'Manage campaigns'),
  admin('faqs.manage', 'content', 'Manage FAQs'),
  admin('chatbot.manage', 'content', 'Manage the chatbot'),
  work('sequences.access', 'content', 'Use sequences', false),
  admin('analytics.view', 'analytics', 'View analytics'),
  admin('reports.manage', 'analytics', 'Manage reports'),
  admin('logs.export', 'analytics', 'Export inbox logs and the audit log'),
  admin('team.status.manage', 'presence', 'Set "our team is online"'),
  admin('widget.visibility.manage', 'presence', 'Manage widget visibility'),
] as const satisfies readonly PermissionDef[];

export type Permission = (typeof PERMISSIONS)[number]['key'];

export const PERMISSION_KEYS: readonly Permission[] = PERMISSIONS.map((p) => p.key);

/** Looked up by any string (client input, stored items): a hit is a catalog permission. */
export const PERMISSION_BY_KEY: ReadonlyMap<string, PermissionDef<Permission>> = new Map(
  PERMISSIONS.map((p) => [p.key, p]),
);

export function isPermission(key: string): key is Permission {
  return PERMISSION_BY_KEY.has(key);
}

/** What every member may do whatever the role (Front, HelpCrunch): not in any role, never denied. */
export const ALWAYS_ALLOWED = [
  'profile.manage',
  'notifications.manage',
  'drafts.manage',
  'tags.private.manage',
  'personalInbox.all',
] as const;

/** Permissions that only work on a plan with this feature (PRODUCT.md §6), for every role. */
export const PERMISSION_FEATURE: Readonly<Partial<Record<Permission, 'analytics' | 'apiKeys' | 'sequences'>>> = {
  'analytics.view': 'analytics',
  'reports.manage': 'analytics',
  'apiKeys.manage': 'apiKeys',
  'sequences.access': 'sequences',
};

/** Held permissions: `true`, or the scope of a scoped permission. */
export type PermissionGrant = true | Scope;
export type PermissionSet = Partial<Record<Permission, PermissionGrant>>;
