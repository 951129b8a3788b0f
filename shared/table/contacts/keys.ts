// Contacts (pure key builders).
// - the contact: `WS#ws / CONTACT#<id>`, GSI1 `WS#ws#CONTACTSBY#<creator member>` / `CONTACT#<id>` (a creator's
//   own contacts, for the `private` visibility list);
// - "the contact has talked to this inbox": `WS#ws / CONTACTINBOX#<contact>#<inbox>`, GSI1
//   `WS#ws#INBOXCONTACTS#<inbox>` / `CONTACT#<id>` (the contacts of an inbox). Written with a conversation's
//   create or move (see `contactTalkedToInbox` in repository.ts), never removed while the contact exists.
import { wsPk } from '../workspaces/keys';

export const CONTACT_PREFIX = 'CONTACT#';
export const CONTACT_INBOX_PREFIX = 'CONTACTINBOX#';

export const contactKey = (wsId: string, contactId: string) => ({
  PK: wsPk(wsId),
  SK: `${CONTACT_PREFIX}${contactId}`,
});
export const contactCreatorIndexKey = (wsId: string, memberId: string, contactId: string) => ({
  GSI1PK: `${wsPk(wsId)}#CONTACTSBY#${memberId}`,
  GSI1SK: `${CONTACT_PREFIX}${contactId}`,
});
export const contactInboxKey = (wsId: string, contactId: string, inboxId: string) => ({
  PK: wsPk(wsId),
  SK: `${CONTACT_INBOX_PREFIX}${contactId}#${inboxId}`,
});
export const inboxContactIndexKey = (wsId: string, inboxId: string, contactId: string) => ({
  GSI1PK: `${wsPk(wsId)}#INBOXCONTACTS#${inboxId}`,
  GSI1SK: `${CONTACT_PREFIX}${contactId}`,
});
