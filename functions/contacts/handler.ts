import { contacts } from '../../shared/api/areas/contacts';
import {
  createContact,
  deleteContact,
  exportContacts,
  getContact,
  listContacts,
  setBlocked,
  updateContact,
} from '../../shared/contacts/service';
import { areaHandler } from '../../shared/http/middleware';
import { created, noContent, ok, rawOk } from '../../shared/http/responses';

export const handler = areaHandler('contacts', contacts, {
  listContacts: async ({ access, query }) => ok(await listContacts(await access(), query)),
  createContact: async ({ access, body }) => created(await createContact(await access(), body)),
  exportContacts: async ({ access }) => rawOk(await exportContacts(await access())),
  getContact: async ({ access, params }) => ok(await getContact(await access(), params.contactId)),
  updateContact: async ({ access, params, body }) => ok(await updateContact(await access(), params.contactId, body)),
  deleteContact: async ({ access, params }) => {
    await deleteContact(await access(), params.contactId);
    return noContent();
  },
  blockContact: async ({ access, params }) => ok(await setBlocked(await access(), params.contactId, true)),
  unblockContact: async ({ access, params }) => ok(await setBlocked(await access(), params.contactId, false)),
});
