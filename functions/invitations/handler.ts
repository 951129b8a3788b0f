import { Unauthenticated } from '../../shared/errors';
import { areaHandler } from '../../shared/http/middleware';
import { created, noContent, ok } from '../../shared/http/responses';
import { accept, invite, listInvitations, resend, revoke } from '../../shared/invitations/service';

export const handler = areaHandler('invitations', {
  listInvitations: async ({ access, query }) => ok(await listInvitations(await access(), query)),
  createInvitation: async ({ access, body }) => {
    const { invitation, refreshed } = await invite(await access(), body);
    return refreshed ? ok(invitation) : created(invitation);
  },
  revokeInvitation: async ({ access, params }) => {
    await revoke(await access(), params.invitationId);
    return noContent();
  },
  resendInvitation: async ({ access, params }) => ok(await resend(await access(), params.invitationId)),
  acceptInvitation: async ({ caller, body }) => {
    if (!caller.userId) throw new Unauthenticated();
    return ok(
      await accept(
        {
          userId: caller.userId,
          email: caller.email,
          emailVerified: caller.emailVerified,
          ...(caller.signIn ? { signIn: caller.signIn } : {}),
        },
        body.token,
      ),
    );
  },
});
