import type { AccessRequest } from '../../shared/access-requests/schema';
import { openInvitationRequest } from '../../shared/access-requests/service';
import { invitations } from '../../shared/api/areas/invitations';
import { Unauthenticated } from '../../shared/errors';
import { areaHandler } from '../../shared/http/middleware';
import { accepted, created, noContent, ok } from '../../shared/http/responses';
import { accept, invite, listInvitations, preview, resend, revoke } from '../../shared/invitations/service';

export const handler = areaHandler('invitations', invitations, {
  listInvitations: async ({ access, query }) => ok(await listInvitations(await access(), query)),
  createInvitation: async ({ access, body }) => {
    const a = await access();
    const done = await invite(a, body, { toRequest: (input) => openInvitationRequest(a, input) });
    if ('pending' in done) return accepted(done.pending as AccessRequest);
    return done.refreshed ? ok(done.invitation) : created(done.invitation);
  },
  revokeInvitation: async ({ access, params }) => {
    await revoke(await access(), params.invitationId);
    return noContent();
  },
  resendInvitation: async ({ access, params }) => ok(await resend(await access(), params.invitationId)),
  previewInvitation: async ({ body }) => ok(await preview(body.token)),
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
