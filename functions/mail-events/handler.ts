// SES bounce and complaint events (configuration set → SNS → here): the invitation becomes `bounced`
// and the inviter is told by email.
import type { SNSEvent } from 'aws-lambda';
import * as z from 'zod';
import { markBounced } from '../../shared/invitations/service';
import { logger } from '../../shared/logging';
import { sesMailer } from '../../shared/mail/mailer';
import { bounceNotice } from '../../shared/mail/templates';

// SES event publishing says `eventType`; classic SES notifications say `notificationType`.
const SesEvent = z.object({
  eventType: z.string().optional(),
  notificationType: z.string().optional(),
  mail: z.object({
    destination: z.array(z.string()).default([]),
    tags: z.record(z.string(), z.array(z.string())).default({}),
  }),
});

export async function handler(event: SNSEvent): Promise<void> {
  for (const record of event.Records) {
    let parsed: z.infer<typeof SesEvent>;
    try {
      parsed = SesEvent.parse(JSON.parse(record.Sns.Message));
    } catch {
      logger.warn('ignoring an SNS message that is not an SES event', { messageId: record.Sns.MessageId });
      continue;
    }
    const kind = parsed.eventType ?? parsed.notificationType ?? '';
    if (kind !== 'Bounce' && kind !== 'Complaint') continue;
    const workspaceId = parsed.mail.tags.workspaceId?.[0];
    const invitationId = parsed.mail.tags.invitationId?.[0];
    if (!workspaceId || !invitationId) continue;
    const bounced = await markBounced(workspaceId, invitationId, kind);
    if (bounced?.inviterEmail) {
      await sesMailer.send({
        to: bounced.inviterEmail,
        ...bounceNotice({ workspaceName: bounced.workspaceName, email: bounced.email, kind: kind.toLowerCase() }),
        tags: { kind: 'bounce-notice', workspaceId },
      });
    }
  }
}
