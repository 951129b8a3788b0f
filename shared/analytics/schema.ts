import * as z from 'zod';

/** The longest window one request may ask for (≈ a year of daily counters). */
export const MAX_WINDOW_DAYS = 366;

export const AnalyticsQuery = z
  .strictObject({
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: '`from` must not be after `to`',
    path: ['from'],
  });

export const Analytics = z
  .object({
    /** The window, UTC days, both included. */
    from: z.string(),
    to: z.string(),
    /** Conversations created in the window, per inbox, by their status now. */
    conversationsByInbox: z.array(
      z.object({ inboxId: z.string(), open: z.number().int(), archived: z.number().int() }),
    ),
    /** Messages sent in the window, per member (not comments). */
    messagesSentByMember: z.array(z.object({ memberId: z.string(), sent: z.number().int() })),
    membersByRole: z
      .array(z.object({ roleId: z.string(), members: z.number().int() }))
      .describe('Active members now, per role (deactivated members are not counted)'),
  })
  .meta({ id: 'Analytics' });
export type Analytics = z.infer<typeof Analytics>;

export const CounterRecord = z.object({
  SK: z.string(),
  open: z.number().int().optional(),
  archived: z.number().int().optional(),
  sent: z.number().int().optional(),
});
