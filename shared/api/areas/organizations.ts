// The schemas of the organizations Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import {
  AddCompanyAdminBody,
  CreateOrganizationBody,
  OrgAdminParams,
  Organization,
  OrganizationRepair,
  OrgParams,
  OrgWorkspaceParams,
} from '../../organizations/schema';
import type { AreaContract } from './area';

export const organizations = {
  createOrganization: { body: CreateOrganizationBody, status: 201, response: Organization },
  getOrganization: { params: OrgParams, status: 200, response: Organization },
  addCompanyAdmin: { params: OrgParams, body: AddCompanyAdminBody, status: 201, response: Organization },
  removeCompanyAdmin: { params: OrgAdminParams, status: 204, response: z.null() },
  attachWorkspace: { params: OrgWorkspaceParams, status: 200, response: Organization },
  repairOrganization: { params: OrgParams, status: 200, response: OrganizationRepair },
} as const satisfies AreaContract<'organizations'>;
