// The schemas of the access-review Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import {
  AccessReviewPage,
  AccessReviewQuery,
  MemberRoleSimulation,
  RoleSimulation,
  SimulateMemberParams,
  SimulateMemberRoleBody,
  SimulateRoleParams,
} from '../../access-review/schema';
import { UpdateRoleBody } from '../../roles/schema';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const accessReview = {
  simulateRoleEdit: { params: SimulateRoleParams, body: UpdateRoleBody, status: 200, response: RoleSimulation },
  simulateMemberRole: {
    params: SimulateMemberParams,
    body: SimulateMemberRoleBody,
    status: 200,
    response: MemberRoleSimulation,
  },
  getAccessReview: {
    params: WorkspaceIdParams,
    query: AccessReviewQuery,
    status: 200,
    response: z.union([AccessReviewPage, z.string().describe('?format=csv: text/csv, formula-safe cells')]),
  },
} as const satisfies AreaContract<'access-review'>;
