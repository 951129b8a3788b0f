// The schemas of the scim Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import { ScimBody, ScimGroupParams, ScimListQuery, ScimUserParams, ScimWsParams } from '../../scim/schema';
import type { AreaContract } from './area';

export const scim = {
  // SCIM 2.0 speaks SCIM (RFC 7644): these shapes are for the document; shared/scim validates the requests.
  scimListUsers: { params: ScimWsParams, query: ScimListQuery, status: 200, response: ScimBody },
  scimCreateUser: { params: ScimWsParams, body: ScimBody, status: 201, response: ScimBody },
  scimGetUser: { params: ScimUserParams, status: 200, response: ScimBody },
  scimReplaceUser: { params: ScimUserParams, body: ScimBody, status: 200, response: ScimBody },
  scimPatchUser: { params: ScimUserParams, body: ScimBody, status: 200, response: ScimBody },
  scimDeleteUser: { params: ScimUserParams, status: 204, response: z.null() },
  scimListGroups: { params: ScimWsParams, query: ScimListQuery, status: 200, response: ScimBody },
  scimCreateGroup: { params: ScimWsParams, body: ScimBody, status: 201, response: ScimBody },
  scimGetGroup: { params: ScimGroupParams, status: 200, response: ScimBody },
  scimReplaceGroup: { params: ScimGroupParams, body: ScimBody, status: 200, response: ScimBody },
  scimPatchGroup: { params: ScimGroupParams, body: ScimBody, status: 200, response: ScimBody },
  scimDeleteGroup: { params: ScimGroupParams, status: 204, response: z.null() },
  scimServiceProviderConfig: { params: ScimWsParams, status: 200, response: ScimBody },
  scimResourceTypes: { params: ScimWsParams, status: 200, response: ScimBody },
  scimSchemas: { params: ScimWsParams, status: 200, response: ScimBody },
} as const satisfies AreaContract<'scim'>;
