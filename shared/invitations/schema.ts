import * as z from 'zod';
import { PageQuery } from '../db/pagination';

export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired', 'bounced'] as const;

/**
 * An address we can send an invitation to: ASCII only (zod's default email pattern, named here so an
 * upgrade cannot widen it). SES takes no SMTPUTF8 local parts and wants IDN domains as punycode, so
 * `kåte@x.test` or `\u212Aate@x.test` (Kelvin sign) are refused with 400 rather than stored and never
 * delivered; an internationalised domain is invited by its `xn--` form.
 */
export const Email = z.email({ pattern: z.regexes.email }).max(254);

export const CreateInvitationBody = z.strictObject({
  email: Email,
  roleId: z.string().min(1).max(64),
  // Each is checked in the creating transaction (≤ 100 items).
  inboxIds: z.array(z.string().min(1).max(64)).max(90).optional(),
});
export type CreateInvitationBody = z.infer<typeof CreateInvitationBody>;

export const Invitation = z
  .object({
    id: z.string(),
    email: z.string(),
    roleId: z.string(),
    inboxIds: z.array(z.string()),
    status: z.enum(INVITATION_STATUSES),
    expiresAt: z.string(),
    createdAt: z.string(),
    invitedBy: z.string(),
    sendCount: z.number().int(),
  })
  .meta({ id: 'Invitation' });
export type Invitation = z.infer<typeof Invitation>;

export const InvitationPage = z
  .object({ items: z.array(Invitation), nextCursor: z.string().nullable() })
  .meta({ id: 'InvitationPage' });
export const ListInvitationsQuery = PageQuery.strict();
export const InvitationParams = z.object({ ws: z.string().min(1).max(64), invitationId: z.string().min(1).max(64) });
export const AcceptInvitationBody = z.strictObject({ token: z.string().min(10).max(200) });
export const PreviewInvitationBody = AcceptInvitationBody;

export const InvitationPreview = z
  .object({
    workspace: z.object({ name: z.string() }),
    role: z.object({ id: z.string(), name: z.string() }),
    /** The address the invitation went to: the one to sign in with. */
    email: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'InvitationPreview' });
export type InvitationPreview = z.infer<typeof InvitationPreview>;
