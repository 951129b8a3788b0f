// Who sees an inbox (PRODUCT.md §7), the pure rule: a personal inbox its owner; a public one whoever holds
// `messages.view` or `inboxes.public.configure`, or reaches it; a private one whoever reaches it (directly or through a
// team) or holds `inboxes.private.access` or `inboxes.private.configure`. Here, below the services, so inboxes,
// conversations (work-in, what a reach change releases), contacts, AuthZEN and the access review read one rule
// without importing the inboxes service.

import type { Permission, PermissionSet } from './catalog';

const holds = (access: { permissions: PermissionSet }, p: Permission) => access.permissions[p] !== undefined;

export function canSee(
  access: { memberId: string; permissions: PermissionSet },
  inbox: { id: string; kind: 'shared' | 'personal'; visibility: 'public' | 'private'; ownerMemberId?: string | null },
  reach: ReadonlySet<string>,
): boolean {
  if (inbox.kind === 'personal') return inbox.ownerMemberId === access.memberId;
  if (inbox.visibility === 'public') {
    return holds(access, 'messages.view') || holds(access, 'inboxes.public.configure') || reach.has(inbox.id);
  }
  return reach.has(inbox.id) || holds(access, 'inboxes.private.access') || holds(access, 'inboxes.private.configure');
}
