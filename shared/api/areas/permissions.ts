// The schemas of the permissions Lambda's routes (see shared/api/contract.ts).
import { PermissionCatalogResponse } from '../../permissions/schema';
import type { AreaContract } from './area';

export const permissions = {
  listPermissions: { status: 200, response: PermissionCatalogResponse },
} as const satisfies AreaContract<'permissions'>;
