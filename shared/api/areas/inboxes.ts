// The schemas of the inboxes Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import {
  CreateInboxBody,
  Inbox,
  InboxList,
  InboxParams,
  ListInboxesQuery,
  UpdateInboxBody,
} from '../../inboxes/schema';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const inboxes = {
  listInboxes: { params: WorkspaceIdParams, query: ListInboxesQuery, status: 200, response: InboxList },
  createInbox: { params: WorkspaceIdParams, body: CreateInboxBody, status: 201, response: Inbox },
  updateInbox: { params: InboxParams, body: UpdateInboxBody, status: 200, response: Inbox },
  deleteInbox: { params: InboxParams, status: 204, response: z.null() },
} as const satisfies AreaContract<'inboxes'>;
