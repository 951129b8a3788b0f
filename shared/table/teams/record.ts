// A team as stored, and its item (read by the teams repository, SCIM groups and AuthZEN).
import * as z from 'zod';
import { teamKey } from './keys';

type Item = Record<string, unknown>;

/** A team as stored (member ids as a DynamoDB string set, absent when empty); items are parsed with it. */
export const TeamRecord = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  nameKey: z.string(),
  memberIds: z
    .union([z.set(z.string()), z.array(z.string())])
    .optional()
    .transform((ids) => [...(ids ?? [])].sort()),
  inboxIds: z.array(z.string()).default([]),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Teams created through SCIM: name and members change only through SCIM (shared/scim/groups.ts). */
  managedBy: z.literal('scim').optional(),
  /** The identity provider's id of the group (SCIM `externalId`). */
  externalId: z.string().optional(),
});

export type TeamRecord = z.output<typeof TeamRecord>;

export const teamItem = (t: TeamRecord): Item => ({
  ...teamKey(t.workspaceId, t.id),
  entity: 'Team',
  ...t,
  memberIds: t.memberIds.length > 0 ? new Set(t.memberIds) : undefined,
});
