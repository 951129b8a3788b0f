import * as z from 'zod';
import { PageQuery } from '../db/pagination';
import { Inbox, InboxKind, InboxVisibility } from '../table/inboxes/inbox';
import { DisplayName } from '../text/display-name';

export { Inbox, InboxKind, InboxVisibility };

export const CreateInboxBody = z.strictObject({
  name: DisplayName,
  visibility: InboxVisibility.default('public'),
  kind: InboxKind.default('shared'),
});
export const UpdateInboxBody = z
  .strictObject({ name: DisplayName.optional(), visibility: InboxVisibility.optional() })
  .refine((b) => b.name !== undefined || b.visibility !== undefined, 'Give a name or a visibility');
export const InboxParams = z.object({ ws: z.string().min(1).max(64), inboxId: z.string().min(1).max(64) });
export const ListInboxesQuery = PageQuery.strict();
export const SetInboxesBody = z.strictObject({ inboxIds: z.array(z.string().min(1).max(64)).max(200) });

export const InboxList = z
  .object({ items: z.array(Inbox), nextCursor: z.string().nullable() })
  .meta({ id: 'InboxList' });
