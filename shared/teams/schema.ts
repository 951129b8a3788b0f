import * as z from 'zod';
import { PageQuery } from '../db/pagination';
import { DisplayName } from '../text/display-name';

/** A team change touches the team and each added or removed member in one transaction (≤ 100 items). */
export const MAX_TEAM_CHANGE = 90;

const MemberIds = z.array(z.string().min(1).max(64)).max(MAX_TEAM_CHANGE);

const InboxIds = z.array(z.string().min(1).max(64)).max(200);

export const CreateTeamBody = z.strictObject({
  name: DisplayName.max(60),
  memberIds: MemberIds.optional(),
  inboxIds: InboxIds.optional(),
});
export const UpdateTeamBody = z
  .strictObject({
    name: DisplayName.max(60).optional(),
    memberIds: MemberIds.optional(),
    /** The whole list: each inbox added or taken away is configured by the caller (the same guard as members). */
    inboxIds: InboxIds.optional(),
    version: z.number().int().positive().optional(),
  })
  .refine(
    (b) => b.name !== undefined || b.memberIds !== undefined || b.inboxIds !== undefined,
    'Give a name, memberIds or inboxIds',
  );
export const TeamParams = z.object({ ws: z.string().min(1).max(64), teamId: z.string().min(1).max(64) });
export const ListTeamsQuery = PageQuery.strict();

export const Team = z
  .object({
    id: z.string(),
    name: z.string(),
    memberIds: z.array(z.string()),
    inboxIds: z.array(z.string()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    /** `scim`: the identity provider manages its name and members (the API answers 409 managed_by_scim). */
    managedBy: z.literal('scim').optional(),
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof Team>;
export const TeamPage = z.object({ items: z.array(Team), nextCursor: z.string().nullable() }).meta({ id: 'TeamPage' });
