// A role as the API shows it. Its own module: the workspaces area's `GET /me` answers a summary of it, and its
// bundle need not build the roles API's request schemas for that (shared/roles/schema.ts re-exports it).
import * as z from 'zod';
import { PermissionMap } from '../permissions/schema';

export const Role = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    kind: z.enum(['builtin', 'template', 'custom']),
    permissions: PermissionMap,
    memberCount: z.number().int(),
    assignable: z.boolean(),
    version: z.number().int().optional(),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
    warnings: z.array(z.object({ permission: z.string(), warning: z.string() })).optional(),
  })
  .meta({ id: 'Role' });
export type Role = z.infer<typeof Role>;
