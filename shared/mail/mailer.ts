// The mail port and its one adapter: Amazon SES v2. Locally the same adapter talks to a local SES
// endpoint (SES_ENDPOINT) that captures messages for GET /dev/outbox.
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

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

const endpoint = process.env.SES_ENDPOINT;
const ses = new SESv2Client({ ...(endpoint ? { endpoint } : {}), maxAttempts: 3 });

export const sesMailer: Mailer = {
  async send(m) {
    const from = process.env.MAIL_FROM;
    if (!from) throw new Error('MAIL_FROM is not configured');
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
        ...(process.env.SES_CONFIGURATION_SET ? { ConfigurationSetName: process.env.SES_CONFIGURATION_SET } : {}),
        EmailTags: Object.entries(m.tags ?? {}).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
    return { messageId: res.MessageId ?? '' };
  },
};
