// Built-in roles (PRODUCT.md §4, the `000_*` seed decides) and role templates.
import { imitates, nameKey } from '../text/skeleton';
import { PERMISSION_KEYS, type Permission, type PermissionSet } from './catalog';

export const BUILTIN_ROLE_IDS = ['owner', 'admin', 'manager', 'agent', 'member'] as const;
export type BuiltinRoleId = (typeof BUILTIN_ROLE_IDS)[number];

export interface WorkspaceRoleSettings {
  agentsCanManageAttributes: boolean;
}

const CONVERSATION_WORK: readonly Permission[] = [
  'messages.view',
  'messages.send',
  'comments.send',
  'conversations.assign',
  'conversations.archive',
  'conversations.move',
];
const CONTENT_ADMIN: readonly Permission[] = [
  'tags.shared.manage',
  'views.shared.manage',
  'templates.shared.manage',
  'signatures.shared.manage',
  'rules.manage',
  'campaigns.manage',
  'faqs.manage',
  'chatbot.manage',
];

function set(flags: readonly Permission[], scopedAll: readonly Permission[] = []): PermissionSet {
  const out: PermissionSet = {};
  for (const p of flags) out[p] = true;
  for (const p of scopedAll) out[p] = 'all';
  return Object.freeze(out);
}

const OWNER: PermissionSet = (() => {
  const out: PermissionSet = {};
  for (const key of PERMISSION_KEYS) out[key] = true;
  for (const p of [...CONVERSATION_WORK, 'conversations.delete'] as const) out[p] = 'all';
  return Object.freeze(out);
})();

const ADMIN = set(
  [
    'billing.manage',
    'workspace.settings.manage',
    'featureFlags.manage',
    'integrations.manage',
    'teammates.invite',
    'teammates.manage',
    'roles.manage',
    'inboxes.public.configure',
    'inboxes.private.configure',
    'inboxes.private.access',
    'contacts.block',
    'contacts.export',
    'contacts.delete',
    'attributes.manage',
    'optOuts.view',
    'optOuts.manage',
    'restrictedWords.manage',
    ...CONTENT_ADMIN,
    'analytics.view',
    'reports.manage',
    'logs.export',
    'team.status.manage',
    'widget.visibility.manage',
  ],
  ['conversations.delete'],
);

const MANAGER = set(
  [
    'teammates.invite',
    'inboxes.public.configure',
    'inboxes.private.configure',
    'inboxes.private.access',
    'scheduledMessages.manage',
    'contacts.update',
    'tags.apply',
    'contacts.block',
    'contacts.export',
    'contacts.delete',
    'attributes.manage',
    'optOuts.view',
    'optOuts.manage',
    ...CONTENT_ADMIN,
    'sequences.access',
    'analytics.view',
    'reports.manage',
    'team.status.manage',
    'widget.visibility.manage',
  ],
  [...CONVERSATION_WORK, 'conversations.delete'],
);

const AGENT_BASE: readonly Permission[] = [
  'teammates.invite',
  'scheduledMessages.manage',
  'contacts.update',
  'tags.apply',
  'contacts.block',
  'optOuts.view',
  'sequences.access',
];
const AGENT = set(AGENT_BASE, [...CONVERSATION_WORK, 'conversations.delete']);
const AGENT_WITH_ATTRIBUTES = set([...AGENT_BASE, 'attributes.manage'], [...CONVERSATION_WORK, 'conversations.delete']);

const MEMBER = set(['scheduledMessages.manage', 'contacts.update', 'tags.apply', 'optOuts.view'], CONVERSATION_WORK);

export interface RoleDefinition {
  id: string;
  name: string;
  description: string;
  kind: 'builtin' | 'template' | 'custom';
  permissions: PermissionSet;
}

const BUILTIN_META: Record<BuiltinRoleId, { name: string; description: string }> = {
  owner: { name: 'Owner', description: 'Full workspace access, including API keys and deleting single messages.' },
  admin: {
    name: 'Admin',
    description: 'Operational access without API keys; cannot send or view inbox messages.',
  },
  manager: { name: 'Manager', description: 'Team lead for inbox operations.' },
  agent: { name: 'Agent', description: 'Works in public inboxes; can invite teammates.' },
  member: { name: 'Member', description: 'Works in public inboxes.' },
};

export function isBuiltinRoleId(id: string): id is BuiltinRoleId {
  return (BUILTIN_ROLE_IDS as readonly string[]).includes(id);
}

/** The permission set of a built-in role; the Agent's depends on a workspace setting. */
export function builtinPermissions(id: BuiltinRoleId, settings: WorkspaceRoleSettings): PermissionSet {
  switch (id) {
    case 'owner':
      return OWNER;
    case 'admin':
      return ADMIN;
    case 'manager':
      return MANAGER;
    case 'agent':
      return settings.agentsCanManageAttributes ? AGENT_WITH_ATTRIBUTES : AGENT;
    case 'member':
      return MEMBER;
  }
}

export function builtinRole(id: BuiltinRoleId, settings: WorkspaceRoleSettings): RoleDefinition {
  return { id, ...BUILTIN_META[id], kind: 'builtin', permissions: builtinPermissions(id, settings) };
}

/** Names a custom role may not take: the built-ins' and the company admin's. */
const RESERVED_ROLE_NAMES = [
  'owner',
  'workspace owner',
  'admin',
  'administrator',
  'manager',
  'agent',
  'member',
  'company admin',
] as const;

/**
 * Whether a custom role's name reads as a built-in one: compared case-insensitively after folding width,
 * look-alike letters of other scripts, small capitals, accents, blank and invisible characters
 * (`Аdmin` with a Cyrillic A, `Owner⠀`, `ᴀdmin`). A name that merely contains one (`Admin assistant`) is fine.
 */
export function imitatesBuiltinName(name: string): boolean {
  return imitates(name, RESERVED_ROLE_NAMES);
}

/** The uniqueness key of role and team names: names that read alike share it (`Sales`, `SALES`, `Ѕales`). */
export function normaliseRoleName(name: string): string {
  return nameKey(name);
}
