// The schemas of the authz Lambda's routes (see shared/api/contract.ts).
import { AuthzCheckBody, AuthzCheckResponse } from '../../authz/schema';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const authz = {
  checkAuthz: { params: WorkspaceIdParams, body: AuthzCheckBody, status: 200, response: AuthzCheckResponse },
} as const satisfies AreaContract<'authz'>;
