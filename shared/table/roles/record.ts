// A custom role as stored (shared/roles/repository.ts reads and writes it; the authorizer and guard read it).
import * as z from 'zod';
import type { PermissionSet } from '../../permissions/catalog';
import { PermissionMap } from '../../permissions/schema';

/** A custom role as stored; items are parsed with it when read. */
export const RoleRecord = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  nameKey: z.string(),
  description: z.string(),
  permissions: PermissionMap,
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Members holding the role. */
  memberCount: z.number().int().default(0),
  /** Pending invitations that would make their invitee hold it. */
  inviteCount: z.number().int().default(0),
  /** API keys acting with it. */
  keyCount: z.number().int().default(0),
});

export type RoleRecord = z.infer<typeof RoleRecord> & { permissions: PermissionSet };
