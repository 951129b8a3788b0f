import { z } from 'zod';

export const Member = z
  .object({
    id: z.string(),
    userId: z.string(),
    email: z.string(),
    roleId: z.string(),
    inboxIds: z.array(z.string()),
    teamIds: z.array(z.string()),
    joinedAt: z.iso.datetime(),
  })
  .meta({ id: 'Member' });
export type Member = z.infer<typeof Member>;
