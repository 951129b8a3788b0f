// The schemas of the contacts Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import {
  Contact,
  ContactPage,
  ContactParams,
  CreateContactBody,
  ListContactsQuery,
  UpdateContactBody,
} from '../../contacts/schema';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const contacts = {
  listContacts: { params: WorkspaceIdParams, query: ListContactsQuery, status: 200, response: ContactPage },
  createContact: { params: WorkspaceIdParams, body: CreateContactBody, status: 201, response: Contact },
  exportContacts: { params: WorkspaceIdParams, status: 200, response: z.string() },
  getContact: { params: ContactParams, status: 200, response: Contact },
  updateContact: { params: ContactParams, body: UpdateContactBody, status: 200, response: Contact },
  deleteContact: { params: ContactParams, status: 204, response: z.null() },
  blockContact: { params: ContactParams, status: 200, response: Contact },
  unblockContact: { params: ContactParams, status: 200, response: Contact },
} as const satisfies AreaContract<'contacts'>;
