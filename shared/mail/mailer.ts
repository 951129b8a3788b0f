// The mail port and its one adapter: Amazon SES v2. Locally the same adapter talks to a local SES
// endpoint (SES_ENDPOINT) that captures messages for GET /dev/outbox.
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { config } from '../config';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** SES message tags: come back on bounce and complaint events. */
  tags?: Record<string, string>;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

let ses: SESv2Client | undefined;

export const sesMailer: Mailer = {
  async send(m) {
    const { SES_ENDPOINT, MAIL_FROM: from, SES_CONFIGURATION_SET } = config.mail();
    if (!from) throw new Error('MAIL_FROM is not configured');
    ses ??= new SESv2Client({ ...(SES_ENDPOINT ? { endpoint: SES_ENDPOINT } : {}), maxAttempts: 3 });
    const res = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [m.to] },
        Content: {
          Simple: {
            Subject: { Data: m.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: m.text, Charset: 'UTF-8' }, Html: { Data: m.html, Charset: 'UTF-8' } },
          },
        },
        ...(SES_CONFIGURATION_SET ? { ConfigurationSetName: SES_CONFIGURATION_SET } : {}),
        EmailTags: Object.entries(m.tags ?? {}).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
    return { messageId: res.MessageId ?? '' };
  },
};
