// A local stand-in for the Amazon SES v2 endpoint: the real SES adapter (SESv2Client) sends to it
// locally, and it keeps what it received for GET /dev/outbox. Only SendEmail is implemented.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface CapturedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  sentAt: string;
  messageId: string;
  tags: Record<string, string>;
}

export interface SesServer {
  url: string;
  outbox: CapturedMail[];
  close(): Promise<void>;
}

interface SendEmailRequest {
  Destination?: { ToAddresses?: string[] };
  Content?: { Simple?: { Subject?: { Data?: string }; Body?: { Text?: { Data?: string }; Html?: { Data?: string } } } };
  EmailTags?: { Name: string; Value: string }[];
}

export async function startSesServer(): Promise<SesServer> {
  const outbox: CapturedMail[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'POST' && url.pathname === '/v2/email/outbound-emails') {
        let body: SendEmailRequest;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SendEmailRequest;
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ message: 'bad request' }));
        }
        const messageId = randomUUID();
        const simple = body.Content?.Simple;
        for (const to of body.Destination?.ToAddresses ?? []) {
          outbox.push({
            to,
            subject: simple?.Subject?.Data ?? '',
            text: simple?.Body?.Text?.Data ?? '',
            html: simple?.Body?.Html?.Data ?? '',
            sentAt: new Date().toISOString(),
            messageId,
            tags: Object.fromEntries((body.EmailTags ?? []).map((t) => [t.Name, t.Value])),
          });
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ MessageId: messageId }));
      }
      if (req.method === 'GET' && url.pathname === '/_outbox') {
        const to = url.searchParams.get('to')?.toLowerCase();
        const items = outbox.filter((m) => !to || m.to.toLowerCase() === to);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ items }));
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'not found' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    outbox,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
