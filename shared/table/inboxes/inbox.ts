// An inbox as stored and as the API shows it (the stored item adds workspaceId and updatedAt: inboxes/repository.ts).
// Below the inboxes domain so the repositories that read an inbox's facts (conversations) load this, not the
// inboxes API's request schemas.
import * as z from 'zod';

export const InboxVisibility = z.enum(['public', 'private']);
export const InboxKind = z.enum(['shared', 'personal']);

export const Inbox = z
  .object({
    id: z.string(),
    name: z.string(),
    visibility: InboxVisibility,
    kind: InboxKind,
    ownerMemberId: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Inbox' });
export type Inbox = z.infer<typeof Inbox>;
