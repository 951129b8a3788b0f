import { z } from 'zod';
import { PageQuery } from '../db/pagination';

export const Member = z
  .object({
    id: z.string(),
    userId: z.string(),
    email: z.string(),
    roleId: z.string(),
    inboxIds: z.array(z.string()),
    teamIds: z.array(z.string()),
    joinedAt: z.iso.datetime(),
    /** Moves with every change of the member's role or teams. */
    version: z.number().int().optional(),
  })
  .meta({ id: 'Member' });
export type Member = z.infer<typeof Member>;

export const MemberPage = z
  .object({ items: z.array(Member), nextCursor: z.string().nullable() })
  .meta({ id: 'MemberPage' });
export const ListMembersQuery = PageQuery.extend({ roleId: z.string().min(1).max(64).optional() }).strict();
export const MemberParams = z.object({ ws: z.string().min(1).max(64), memberId: z.string().min(1).max(64) });
export const UpdateMemberBody = z.strictObject({ roleId: z.string().min(1).max(64) });
export const TransferOwnershipBody = z.strictObject({ memberId: z.string().min(1).max(64) });
