// An invitation as stored (the invitations repository writes it; the seat counter reads the seat-holding ones).
import * as z from 'zod';

/** An invitation as stored; every invitation item read is parsed with it. */
export const InvitationRecord = z.object({
  id: z.string(),
  workspaceId: z.string(),
  workspaceName: z.string(),
  email: z.string(),
  emailKey: z.string(),
  roleId: z.string(),
  inboxIds: z.array(z.string()),
  // `expired` is never stored: a pending invitation past `expiresAt` is shown as expired.
  status: z.enum(['pending', 'accepted', 'revoked', 'bounced']),
  /** Drawn anew on every send: the stream sends one email per nonce. */
  nonce: z.string(),
  tokenHash: z.string(),
  expiresAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  invitedBy: z.string(),
  inviterEmail: z.string(),
  sendCount: z.number().int(),
  /**
   * Set when a pending invitation past its expiry gave its seat back (the reconciliation, or an invitation
   * that needed the seat, released it). Absent: a pending invitation holds a seat. Refreshing one takes a
   * seat again; revoking or bouncing one gives back only a seat it still holds.
   */
  seatReleased: z.boolean().optional(),
});

export type InvitationRecord = z.output<typeof InvitationRecord>;
